// The saga worker is killed with SIGKILL while a capture (an activity) or a commit (a local
// activity) is in flight and started again: the saga finishes, and nothing happened twice — one
// reservation, one capture, each event effect once, one e-mail. Temporal retries the lost step;
// idempotency keys make the retry harmless.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { clients, newCustomer } from './clients';
import { eventually, sagaResult, startTestSystem, uniqueSku, type TestSystem } from './system-under-test';

let t: TestSystem;
let api: ReturnType<typeof clients>;

before(async () => {
  t = await startTestSystem('crash', { refundWindowSeconds: 2 });
  api = clients(t);
});
after(() => t?.stop());

// Capture is an activity: its task times out on the server and is retried by the new worker.
// Commit is a local activity, run inside the workflow task: that task times out and the new
// worker replays the saga and runs the step again. Either way the step's effect happened before
// the kill (the service finishes the delayed call), and its idempotency key answers the retry.
const crashes = [
  {
    step: 'capture',
    fault: { service: 'payment' as const, path: '/v1/payments/:orderId/capture' },
    inFlight: (order: { saga?: { stepsCompleted: string[] } | null }, _events: string[]) =>
      order.saga?.stepsCompleted.includes('create') ?? false,
  },
  {
    step: 'commit',
    fault: { service: 'inventory' as const, path: '/v1/reservations/:orderId/commit' },
    // The commit publishes the PaymentCaptured it carries, then calls the inventory service.
    inFlight: (_order: unknown, events: string[]) => events.includes('PaymentCaptured'),
  },
];

for (const crash of crashes)
  test(
    `a worker killed mid-${crash.step} and restarted finishes the saga with no duplicate effect`,
    { timeout: 300_000 },
    async () => {
      const sku = uniqueSku('CRASH');
      await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 2100 });
      // Slow the step down so the worker dies while the service is working on it.
      await api.faults.inject(crash.fault.service, {
        method: 'POST',
        path: crash.fault.path,
        delayMs: 3_000,
        times: 1,
      });

      const { email, token } = await newCustomer();
      const placed = await api.orders.place(
        token,
        { items: [{ sku, quantity: 2 }], paymentMethod: 'pm_card_visa' },
        randomUUID(),
      );
      assert.equal(placed.status, 202);
      const { orderId } = placed.body;

      await eventually(`the saga to reach ${crash.step}`, async () => {
        const order = (await api.orders.get(token, orderId)).body;
        const events = (t.events.get(orderId) ?? []).map((e) => e.type);
        return crash.inFlight(order, events) ? true : undefined;
      });
      await t.system.kill('worker', 'SIGKILL');
      await t.system.start('worker');

      const result = await sagaResult(t, orderId);
      assert.equal(result.status, 'COMPLETED');
      await eventually('the confirmation e-mail', async () =>
        (await api.notifications.list(orderId)).some(
          (n) => n.type === 'OrderCompleted' && n.status === 'SENT',
        )
          ? true
          : undefined,
      );

      const product = await api.inventory.product(sku);
      assert.deepEqual([product.onHand, product.reserved], [8, 0], 'stock decremented exactly once');
      const intents = await api.stripe.intents(orderId);
      assert.equal(intents.length, 1, 'one PaymentIntent');
      const captures =
        intents[0]?.operations.filter((o) => o.operation === 'capture' && o.outcome === 'succeeded') ?? [];
      assert.equal(captures.length, 1, 'captured once at Stripe');
      assert.equal(intents[0]?.amount_received, 4200);
      assert.equal((await api.payments.get(orderId)).body.captured, 4200);

      const events = await eventually('all four events', async () => {
        const seen = t.events.get(orderId) ?? [];
        return new Set(seen.map((e) => e.id)).size >= 4 ? seen : undefined;
      });
      // A publish in flight at the kill may be re-sent: the same id with the same payload (time and
      // trace context included, even when a local step ran again after its task was lost), so
      // consumers drop it and nothing on the topic contradicts itself.
      const payloads = new Map<string, Set<string>>();
      for (const e of events) payloads.set(e.id, (payloads.get(e.id) ?? new Set()).add(JSON.stringify(e)));
      for (const [id, seen] of payloads) assert.equal(seen.size, 1, `${id} re-sent as it was`);
      const distinct = [...new Map(events.map((e) => [e.id, e])).values()].map(
        (e) => `${e.sequence}:${e.type}`,
      );
      assert.deepEqual(distinct, [
        '1:OrderPlaced',
        '2:OrderConfirmed',
        '3:PaymentCaptured',
        '4:OrderCompleted',
      ]);
      const notifications = await api.notifications.list(orderId);
      assert.equal(
        new Set(notifications.map((n) => n.eventId)).size,
        notifications.length,
        'each event handled once',
      );
      assert.equal((await api.mail.to(email)).length, 1, 'one e-mail');
    },
  );
