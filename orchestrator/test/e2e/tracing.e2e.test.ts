// One order, one trace: the five processes export to an in-process OTLP receiver, one order is
// placed through the public API, and its trace must be a single connected tree from the
// POST /v1/orders server span through the workflow's start, every activity, the service calls, the
// database, the Kafka message and the e-mail. The tree is printed, as an operator would see it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { orderWorkflowId } from '../../src/shared';
import { clients, newCustomer } from './clients';
import {
  SPAN_KIND,
  orphans,
  renderTree,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from './otlp-receiver';
import { eventually, sagaResult, startTestSystem, uniqueSku, type TestSystem } from './system-under-test';

const SCOPES = {
  express: '@opentelemetry/instrumentation-express',
  pg: '@opentelemetry/instrumentation-pg',
  kafkajs: '@opentelemetry/instrumentation-kafkajs',
  undici: '@opentelemetry/instrumentation-undici',
};
const SERVICES = ['order', 'inventory', 'payment', 'notification', 'orchestrator-worker'];
const SAGA_ACTIVITIES = [
  'validateOrder',
  'reserveStock',
  'authorizePayment',
  'confirmOrder',
  'captureHeldPayment',
  'commitReservation',
  'recordOutcome',
];

let receiver: OtlpReceiver;
let t: TestSystem;

before(async () => {
  receiver = await startOtlpReceiver();
  t = await startTestSystem('tracing', {
    // Short, so the saga has closed by the time the test system stops.
    refundWindowSeconds: 2,
    appEnv: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
});
after(async () => {
  await t?.stop();
  await receiver?.close();
});

describe('distributed tracing', { timeout: 300_000 }, () => {
  test('an order is one connected trace across all five processes, from the API to the e-mail', async () => {
    const api = clients(t);
    const sku = uniqueSku('TRACE');
    await api.inventory.createProduct(sku, { onHand: 5, unitPrice: 990 });
    const customer = await newCustomer();
    const placed = await api.orders.place(
      customer.token,
      { items: [{ sku, quantity: 1 }], paymentMethod: 'pm_card_visa' },
      randomUUID(),
    );
    assert.equal(placed.status, 202, JSON.stringify(placed.body));
    const orderId = placed.body.orderId;
    assert.equal((await sagaResult(t, orderId)).status, 'COMPLETED');
    await eventually('the OrderCompleted e-mail', async () => {
      const sent = (await api.notifications.list(orderId)).find(
        (n) => n.type === 'OrderCompleted' && n.status === 'SENT',
      );
      return sent ? true : undefined;
    });

    // Spans arrive in batches from five processes; wait for the last pieces and for every parent.
    const traceOfOrder = () => {
      const start = receiver.spans.find(
        (s) =>
          s.name === 'StartWorkflow:orderSaga' &&
          s.attributes.temporalWorkflowId === orderWorkflowId(orderId),
      );
      return start ? receiver.trace(start.traceId) : [];
    };
    const spans = await eventually('the whole trace at the receiver', async () => {
      const trace = traceOfOrder();
      const complete =
        SAGA_ACTIVITIES.every((a) => trace.some((s) => s.name === `RunActivity:${a}`)) &&
        trace.some((s) => s.name === 'smtp send') &&
        orphans(trace).length === 1;
      return complete ? trace : undefined;
    }).catch((err: unknown) => {
      // What did arrive says which process or hop lost the context.
      console.log(
        `partial trace (${receiver.spans.length} spans received in all):\n${renderTree(traceOfOrder())}`,
      );
      throw err;
    });

    const traceId = spans[0]?.traceId ?? '';
    console.log(`\ntrace ${traceId} of order ${orderId}: ${spans.length} spans\n${renderTree(spans)}\n`);

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const hasAncestor = (span: ReceivedSpan, match: (s: ReceivedSpan) => boolean): boolean => {
      for (let p = parentOf(span); p; p = parentOf(p)) if (match(p)) return true;
      return false;
    };
    const one = (what: string, match: (s: ReceivedSpan) => boolean) => {
      const found = spans.find(match);
      assert.ok(found, `no ${what} in the trace`);
      return found;
    };

    // One tree: a single root, the public API's server span; every other parent is in the trace.
    const [root, ...moreRoots] = orphans(spans);
    assert.equal(moreRoots.length, 0, `more than one root: ${moreRoots.map((s) => s.name).join(', ')}`);
    assert.ok(root);
    assert.equal(root.service, 'order');
    assert.equal(root.kind, SPAN_KIND.server);
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.attributes['http.request.method'] ?? root.attributes['http.method'], 'POST');
    assert.equal(root.attributes['http.route'], '/v1/orders');
    assert.deepEqual([...new Set(spans.map((s) => s.service))].sort(), [...SERVICES].sort());

    // The workflow, started by the request and run by the worker.
    const start = one('StartWorkflow', (s) => s.name === 'StartWorkflow:orderSaga' && s.service === 'order');
    assert.ok(hasAncestor(start, (s) => s === root));

    // Every step: run by the worker in the context the saga was started in (the workflow
    // carries it onto each activity it schedules; no spans inside the sandbox).
    for (const activity of SAGA_ACTIVITIES) {
      const ran = one(`RunActivity:${activity}`, (s) => s.name === `RunActivity:${activity}`);
      assert.equal(ran.service, 'orchestrator-worker');
      assert.equal(parentOf(ran), start, `RunActivity:${activity} is not under StartWorkflow`);
    }
    assert.equal(
      spans.filter((s) => s.name.startsWith('RunWorkflow:') || s.name.startsWith('StartActivity:')).length,
      0,
      'spans recorded inside the workflow sandbox',
    );

    // Service calls: the worker's fetch (client span) into each participant's server span.
    for (const service of ['inventory', 'payment', 'order']) {
      one(`a call from an activity into ${service}`, (s) => {
        const client = parentOf(s);
        return (
          s.service === service &&
          s.kind === SPAN_KIND.server &&
          client?.kind === SPAN_KIND.client &&
          client.scope === SCOPES.undici &&
          client.service === 'orchestrator-worker' &&
          hasAncestor(client, (a) => a.name.startsWith('RunActivity:'))
        );
      });
    }
    for (const service of ['order', 'inventory', 'payment'])
      one(`express spans in ${service}`, (s) => s.service === service && s.scope === SCOPES.express);
    for (const service of ['order', 'inventory', 'payment', 'notification'])
      one(`pg spans in ${service}`, (s) => s.service === service && s.scope === SCOPES.pg);

    // The event: sent by the step's activity that carries it, processed by the notification
    // service in the same trace, and the e-mail under that processing.
    const send = one(
      'a kafkajs send',
      (s) =>
        s.scope === SCOPES.kafkajs &&
        s.kind === SPAN_KIND.producer &&
        hasAncestor(s, (a) => a.name === 'RunActivity:validateOrder'),
    );
    assert.equal(send.service, 'orchestrator-worker');
    const processed = spans.filter(
      (s) =>
        s.service === 'notification' &&
        s.kind === SPAN_KIND.consumer &&
        parentOf(s)?.scope === SCOPES.kafkajs,
    );
    assert.ok(processed.length > 0, 'no consumer span under a kafkajs send');
    const mail = one('the e-mail', (s) => s.name === 'smtp send' && s.service === 'notification');
    assert.equal(mail.kind, SPAN_KIND.client);
    assert.ok(
      processed.includes(parentOf(mail) as ReceivedSpan),
      'the e-mail is not under the Kafka consumer',
    );
    assert.equal(parentOf(mail)?.attributes['order.event.type'], 'OrderCompleted');

    // Logs join traces: the notification service's "notification sent" line names this trace.
    const logged = readFileSync(t.system.logFile('notification'), 'utf8')
      .split('\n')
      .some((line) => line.includes(`"traceId":"${traceId}"`) && line.includes('notification sent'));
    assert.ok(logged, 'no notification log line carries the trace id');
  });
});
