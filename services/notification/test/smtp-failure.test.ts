// A relay that cannot be reached: the delivery is retried, then dead-lettered, never marked sent.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import {
  consumeUntil,
  listNotifications,
  mailTo,
  produce,
  startTestService,
  type TestService,
} from './stack-clients';
import { eventMessage, eventually, newCustomer, newOrderId, orderEvent, sampleItems } from './support';

/** A port nothing listens on: bound by the OS, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const MAX_ATTEMPTS = 3;
let t: TestService;

before(async () => {
  t = await startTestService({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(await unusedPort()),
    MAX_DELIVERY_ATTEMPTS: String(MAX_ATTEMPTS),
    RETRY_BACKOFF_MS: '20',
  });
});

after(() => t?.stop());

test('an unreachable SMTP relay dead-letters the event after the attempts, nothing marked sent', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const event = orderEvent('OrderCompleted', orderId, 6, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  });
  const message = eventMessage(event);
  await produce(t.kafka.producer, t.config.ORDER_EVENTS_TOPIC, [message]);

  const [dead] = await consumeUntil(
    t.kafka.kafka,
    t.config.ORDER_EVENTS_DLQ_TOPIC,
    1,
    (m) => m.key === orderId,
  );
  assert.ok(dead);
  assert.equal(dead.headers['dlq-reason'], 'max-attempts-exceeded');
  assert.equal(dead.headers['dlq-attempts'], String(MAX_ATTEMPTS));
  assert.match(dead.headers['dlq-error'] ?? '', /ECONNREFUSED|connect/i);
  assert.equal(dead.headers['dlq-original-topic'], t.config.ORDER_EVENTS_TOPIC);
  assert.equal(dead.headers.traceparent, message.headers?.traceparent);
  assert.equal(dead.value, message.value);

  const [record, ...others] = await listNotifications(t.service.url, orderId);
  assert.equal(others.length, 0);
  assert.equal(record?.status, 'SENDING', 'a later redelivery may still send it');
  assert.equal(record?.attempts, MAX_ATTEMPTS);
  assert.equal(record?.sentAt, null);
  assert.ok(record?.lastError);
  assert.deepEqual(await mailTo(customer.email), []);

  const metrics = await (await fetch(`${t.service.metricsUrl}/metrics`)).text();
  assert.match(metrics, /notifications_dead_lettered_total\{[^}]*reason="max-attempts-exceeded"[^}]*\} 1/);
});

test('SMTP is not part of readiness: the service stays ready while the relay is down', async () => {
  const ready = await eventually('ready', async () => {
    const res = await fetch(`${t.service.url}/readyz`);
    return res.status === 200 ? true : undefined;
  });
  assert.equal(ready, true);
});
