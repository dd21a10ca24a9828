// The list endpoints an operator's audit reads (GET /v1/payment_intents, GET /v1/refunds), driven
// through the official SDK: filters, Stripe's cursors and the SDK's auto-pagination.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  authorizeParams,
  sdkFor,
  startTestEmulator,
  stripeError,
  uniqueOrderId,
  type TestEmulator,
} from './support';

let t: TestEmulator;
before(async () => {
  t = await startTestEmulator();
});
after(() => t.emulator.close());

/** Each test its own account, so other tests' objects never show up in its lists. */
const account = () => sdkFor(t.emulator.url, `sk_test_lists_${randomUUID().replaceAll('-', '')}`);

async function capturedIntent(stripe: ReturnType<typeof account>, orderId = uniqueOrderId(), amount = 3000) {
  const intent = await stripe.paymentIntents.create(authorizeParams(orderId, 'pm_card_visa', amount));
  return stripe.paymentIntents.capture(intent.id);
}

test('payment intents: created[gte|gt|lte|lt] and an exact created filter the list', async () => {
  const stripe = account();
  const made = [await capturedIntent(stripe), await capturedIntent(stripe), await capturedIntent(stripe)];
  const first = Math.min(...made.map((i) => i.created));
  const last = Math.max(...made.map((i) => i.created));
  const ids = (list: { data: { id: string }[] }) => list.data.map((i) => i.id).sort();
  const all = made.map((i) => i.id).sort();

  assert.deepEqual(ids(await stripe.paymentIntents.list({ created: { gte: first } })), all);
  assert.deepEqual(ids(await stripe.paymentIntents.list({ created: { lte: last } })), all);
  assert.deepEqual(ids(await stripe.paymentIntents.list({ created: { gt: last } })), []);
  assert.deepEqual(ids(await stripe.paymentIntents.list({ created: { lt: first } })), []);
  assert.deepEqual(ids(await stripe.paymentIntents.list({ created: { gte: first, lte: last } })), all);
  if (first === last) assert.deepEqual(ids(await stripe.paymentIntents.list({ created: first })), all);
});

test('payment intents: auto-pagination over many pages returns each intent once, newest first', async () => {
  const stripe = account();
  const made: string[] = [];
  for (let i = 0; i < 7; i++)
    made.push((await stripe.paymentIntents.create({ amount: 100 + i, currency: 'eur' })).id);
  const listed = await stripe.paymentIntents
    .list({ created: { gte: 0 }, limit: 3 })
    .autoPagingToArray({ limit: 100 });
  assert.deepEqual(
    listed.map((i) => i.id),
    [...made].reverse(),
  );

  const page = await stripe.paymentIntents.list({ limit: 2, ending_before: made[2] });
  assert.deepEqual(
    page.data.map((i) => i.id),
    [made[4], made[3]],
  );
  assert.equal(page.has_more, true);
});

test('refunds: listed by payment_intent, by charge, by created, with metadata, newest first', async () => {
  const stripe = account();
  const a = await capturedIntent(stripe);
  const b = await capturedIntent(stripe);
  const r1 = await stripe.refunds.create({
    payment_intent: a.id,
    amount: 500,
    metadata: { refundKey: 'k1' },
  });
  const r2 = await stripe.refunds.create({ payment_intent: a.id, amount: 700 });
  const r3 = await stripe.refunds.create({ payment_intent: b.id, amount: 100 });

  const ofA = await stripe.refunds.list({ payment_intent: a.id });
  assert.equal(ofA.object, 'list');
  assert.deepEqual(
    ofA.data.map((r) => r.id),
    [r2.id, r1.id],
  );
  assert.deepEqual(ofA.data[1]?.metadata, { refundKey: 'k1' });
  assert.equal(ofA.data[1]?.status, 'succeeded');
  assert.equal(ofA.data[1]?.amount, 500);

  const ofCharge = await stripe.refunds.list({ charge: b.latest_charge as string });
  assert.deepEqual(
    ofCharge.data.map((r) => r.id),
    [r3.id],
  );

  const since = await stripe.refunds
    .list({ created: { gte: r1.created }, limit: 2 })
    .autoPagingToArray({ limit: 100 });
  assert.deepEqual(
    since.map((r) => r.id),
    [r3.id, r2.id, r1.id],
  );
  assert.deepEqual((await stripe.refunds.list({ created: { gt: r3.created } })).data, []);
});

test('refunds of another account are not listed', async () => {
  const owner = account();
  const intent = await capturedIntent(owner);
  await owner.refunds.create({ payment_intent: intent.id, amount: 100 });
  assert.deepEqual((await account().refunds.list({ created: { gte: 0 } })).data, []);
});

test('list parameters are checked as Stripe checks them', async () => {
  const stripe = account();
  const tooMany = await stripeError(stripe.paymentIntents.list({ limit: 101 }));
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.param, 'limit');

  const badRange = await stripeError(
    stripe.refunds.list({ created: { since: 1 } } as unknown as { created: { gte: number } }),
  );
  assert.equal(badRange.code, 'parameter_unknown');
  assert.equal(badRange.param, 'created[since]');

  const notInteger = await stripeError(
    stripe.paymentIntents.list({ created: { gte: 'soon' } } as unknown as { created: { gte: number } }),
  );
  assert.equal(notInteger.param, 'created[gte]');

  const missing = await stripeError(stripe.refunds.list({ payment_intent: 'pi_nope' }));
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.code, 'resource_missing');

  const cursor = await stripeError(stripe.refunds.list({ starting_after: 're_nope' }));
  assert.equal(cursor.code, 'resource_missing');

  const unknown = await stripeError(
    stripe.refunds.list({ status: 'succeeded' } as unknown as Record<string, never>),
  );
  assert.equal(unknown.code, 'parameter_unknown');
});
