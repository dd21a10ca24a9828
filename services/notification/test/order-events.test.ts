// The service against the real stack: events on a private Kafka topic, e-mails read back from
// mailpit, the record read through the HTTP API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createMetrics, startServer } from '@orders/platform';
import { buildApp } from '../src/app';
import {
  consumeUntil,
  listNotifications,
  processed,
  produce,
  startTestService,
  theOnlyMailTo,
  type TestService,
} from './stack-clients';
import {
  TEST_INTERNAL_TOKEN,
  eventMessage,
  eventually,
  internalHeaders,
  newCustomer,
  newOrderId,
  orderEvent,
  sampleItems,
  testLogger,
} from './support';

let t: TestService;

before(async () => {
  t = await startTestService();
});

after(() => t?.stop());

test('OrderCompleted e-mails a confirmation listing items, prices and total', async () => {
  const customer = newCustomer('Ada <Lovelace>');
  const orderId = newOrderId();
  const event = orderEvent('OrderCompleted', orderId, 5, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  });
  await t.send(event);

  const item = await processed(t.service.url, orderId, event.id);
  assert.equal(item.status, 'SENT');
  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /^Your order #[A-Z0-9]{8} is confirmed$/);
  assert.equal(mail.To[0]?.Address, customer.email);
  assert.match(mail.Text, /2 x Blue mug \(MUG-BLUE\) @ €12\.50 = €25\.00/);
  assert.match(mail.Text, /1 x TEA-EARL @ €8\.99 = €8\.99/);
  assert.match(mail.Text, /Total: €33\.99/);
  assert.match(mail.Text, new RegExp(orderId));
  assert.match(mail.HTML, /Hi Ada &lt;Lovelace&gt;,/);
  assert.equal(`<${mail.MessageID}>`, item.messageId);
  assert.equal(item.subject, mail.Subject);
  assert.equal(item.recipient, customer.email);
  assert.equal(item.attempts, 1);
});

test('OrderFailed e-mails the reason in plain words and that no money was taken', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const event = orderEvent('OrderFailed', orderId, 3, {
    customer,
    failedStep: 'reserve',
    code: 'OUT_OF_STOCK',
    reason: 'sku MUG-BLUE: 0 available, 2 requested',
    compensations: [],
  });
  await t.send(event);

  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /^We could not complete your order #/);
  assert.match(mail.Text, /out of stock/);
  assert.match(mail.Text, /No money was taken/);
  assert.doesNotMatch(mail.Text, /0 available/, 'internal reasons stay internal');
});

test('OrderCancelled e-mails the cancellation and the refunded amount', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const event = orderEvent('OrderCancelled', orderId, 7, {
    customer,
    reason: 'customer changed their mind',
    actor: 'customer',
    compensations: ['refundPayment', 'returnStock'],
    refunded: 3399,
    currency: 'eur',
  });
  await t.send(event);

  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /^Your order #[A-Z0-9]{8} has been cancelled$/);
  assert.match(mail.Text, /We have refunded €33\.99/);
});

test('OrderRefunded e-mails the refunded amount', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const event = orderEvent('OrderRefunded', orderId, 8, {
    customer,
    refundId: 're_123',
    amount: 1250,
    totalRefunded: 2500,
    currency: 'usd',
    reason: 'damaged item',
    actor: 'support',
  });
  await t.send(event);

  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /^Refund of \$12\.50 for order #[A-Z0-9]{8}$/);
  assert.match(mail.Text, /\$25\.00 has now been refunded/);
});

test('OrderPlaced is recorded but sends no e-mail', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const placed = orderEvent('OrderPlaced', orderId, 1, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  });
  const completed = orderEvent('OrderCompleted', orderId, 2, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  });
  // Same key, same partition: once the later event is handled the earlier one has been too.
  await t.send(placed, completed);

  await processed(t.service.url, orderId, completed.id);
  const items = await listNotifications(t.service.url, orderId);
  assert.deepEqual(
    items.map((i) => [i.eventId, i.type, i.status]),
    [
      [placed.id, 'OrderPlaced', 'SKIPPED'],
      [completed.id, 'OrderCompleted', 'SENT'],
    ],
  );
  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /is confirmed$/);
});

test('poison messages go to the DLQ with their headers and do not block the partition', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const valid = orderEvent('OrderCompleted', orderId, 2, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  });
  const invalid = { ...valid, id: `${orderId}:1`, data: { ...valid.data, total: -5 } };
  await produce(t.kafka.producer, t.config.ORDER_EVENTS_TOPIC, [
    { key: orderId, value: '{not json', headers: { traceparent: 'tp-1' } },
    { key: orderId, value: JSON.stringify(invalid), headers: { traceparent: 'tp-2' } },
    eventMessage(valid),
  ]);

  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /is confirmed$/);

  const dead = await consumeUntil(
    t.kafka.kafka,
    t.config.ORDER_EVENTS_DLQ_TOPIC,
    2,
    (m) => m.key === orderId,
  );
  const byReason = new Map(dead.map((m) => [m.headers['dlq-reason'], m]));
  const notJson = byReason.get('invalid-json');
  const badEvent = byReason.get('invalid-event');
  assert.ok(notJson && badEvent, `both reasons present: ${[...byReason.keys()].join(', ')}`);
  assert.equal(notJson.value, '{not json');
  assert.equal(notJson.headers.traceparent, 'tp-1');
  assert.equal(badEvent.value, JSON.stringify(invalid));
  assert.match(badEvent.headers['dlq-error'] ?? '', /data\.total/);
  for (const m of [notJson, badEvent]) {
    assert.equal(m.headers['dlq-original-topic'], t.config.ORDER_EVENTS_TOPIC);
    assert.match(m.headers['dlq-original-partition'] ?? '', /^\d+$/);
    assert.match(m.headers['dlq-original-offset'] ?? '', /^\d+$/);
    assert.ok(!Number.isNaN(Date.parse(m.headers['dlq-failed-at'] ?? '')));
    assert.ok(m.headers['dlq-error']);
  }
  assert.ok(Number(notJson.headers['dlq-original-offset']) < Number(badEvent.headers['dlq-original-offset']));
});

test('GET /v1/notifications requires an orderId', async () => {
  const res = await fetch(`${t.service.url}/v1/notifications`, { headers: internalHeaders() });
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  const body = (await res.json()) as { errors: { field: string }[] };
  assert.deepEqual(
    body.errors.map((e) => e.field),
    ['orderId'],
  );
});

test('an order with no events lists nothing', async () => {
  assert.deepEqual(await listNotifications(t.service.url, newOrderId()), []);
});

test('readiness is down while the consumer is not consuming', async () => {
  const app = buildApp({
    pool: t.service.pool,
    repository: t.service.repository,
    metrics: createMetrics('notification-readiness-test'),
    logger: testLogger,
    internalApiToken: TEST_INTERNAL_TOKEN,
    consumerState: () => 'restarting',
  });
  const server = await startServer(app, 0);
  try {
    const res = await fetch(`${server.url}/readyz`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { checks: Record<string, { status: string; error?: string }> };
    assert.equal(body.checks.database?.status, 'up');
    assert.equal(body.checks.consumer?.status, 'down');
    assert.match(body.checks.consumer?.error ?? '', /restarting/);
  } finally {
    await server.close();
  }
});

test('readiness reports the database and the running consumer; liveness is plain', async () => {
  const ready = await eventually('consumer joined', async () => {
    const res = await fetch(`${t.service.url}/readyz`);
    return res.status === 200
      ? ((await res.json()) as { checks: Record<string, { status: string }> })
      : undefined;
  });
  assert.equal(ready.checks.database?.status, 'up');
  assert.equal(ready.checks.consumer?.status, 'up');
  assert.equal((await fetch(`${t.service.url}/healthz`)).status, 200);
});
