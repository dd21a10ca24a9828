// Outages must not lose e-mails: a private SMTP relay (a real mailpit) killed for longer than the
// old retry budget, and claims whose lease decides which of two consumers may send.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger, createPool, type Pool } from '@orders/platform';
import { Registry } from 'prom-client';
import { mailpit } from '@orders/stack/components/mailpit';
import { loadStackConfig } from '@orders/stack/config';
import { freePorts } from '@orders/stack/system';
import { createNotificationsRepository } from '../src/data-access/notifications-repository';
import { redriveDeadLetters } from '../src/redrive-dlq';
import { createOrderEventHandler } from '../src/domain/handle-order-event';
import { createMailer } from '../src/adapters/smtp-mailer';
import { createNotificationMetrics } from '../src/notification-metrics';
import { listNotifications, produce, startTestService, type TestService } from './stack-clients';
import {
  eventMessage,
  eventually,
  newCustomer,
  newOrderId,
  orderEvent,
  sampleItems,
  stackVar,
} from './support';
import { mailpitClient } from '@orders/stack/mailpit-client';

let relay: ReturnType<typeof mailpit>;
let web: string;
let t: TestService;
let pool: Pool;

before(async () => {
  const base = loadStackConfig();
  const dir = mkdtempSync(path.join(tmpdir(), 'notification-relay-'));
  const free = await freePorts();
  const ports = { ...base.ports, smtp: free.order, mailpit: free.inventory };
  relay = mailpit({
    ...base,
    dir,
    runDir: path.join(dir, 'run'),
    logDir: path.join(dir, 'logs'),
    dataDir: dir,
    ports,
  });
  await relay.install();
  await relay.start();
  await relay.ready(30_000);
  web = `http://127.0.0.1:${ports.mailpit}`;
  // The defaults that matter here: no attempt limit for transient failures.
  t = await startTestService({ SMTP_PORT: String(ports.smtp), RETRY_BACKOFF_MS: '200' });
  pool = createPool(stackVar('NOTIFICATIONS_DATABASE_URL'), { application: 'notification-test' });
});
after(async () => {
  await t?.stop();
  await relay?.stop();
  await pool?.end();
});

const mailsTo = (address: string) => mailpitClient(web).to(address);
const completed = (orderId: string, customer = newCustomer()) => ({
  customer,
  event: orderEvent('OrderCompleted', orderId, 4, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  }),
});
const metric = async (name: string) => {
  const text = await (await fetch(`${t.service.metricsUrl}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
};

test('an SMTP outage longer than any retry budget dead-letters nothing: every e-mail arrives once after it', async () => {
  const before = completed(newOrderId());
  await t.send(before.event);
  await eventually('the mail before the outage', async () =>
    (await mailsTo(before.customer.email)).length ? true : undefined,
  );

  const pid = await relay.running();
  assert.ok(pid);
  process.kill(pid, 'SIGKILL');
  const during = [completed(newOrderId()), completed(newOrderId()), completed(newOrderId())];
  await t.send(...during.map((d) => d.event));
  // Blocked and retrying, far past the five attempts (about 3 s here) that used to dead-letter.
  await eventually('the delivery blocked', async () =>
    (await metric('notifications_delivery_blocked')) === 1 ? true : undefined,
  );
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  assert.ok((await metric('notifications_delivery_retries_total')) >= 5);
  assert.equal(await metric('notifications_dead_lettered_total'), 0);

  await relay.start();
  await relay.ready(30_000);
  for (const { customer, event } of during) {
    await eventually(
      `the mail of ${event.orderId}`,
      async () => ((await mailsTo(customer.email)).length ? true : undefined),
      90_000,
    );
    const [record] = await listNotifications(t.service.url, event.orderId);
    assert.equal(record?.status, 'SENT');
  }
  for (const { customer } of [before, ...during]) assert.equal((await mailsTo(customer.email)).length, 1);
  assert.equal(await metric('notifications_dead_lettered_total'), 0);
  assert.equal(await metric('notifications_delivery_blocked'), 0);
});

test('a claim belongs to its owner while its lease holds; an expired lease is taken over and the old owner cannot record', async () => {
  const repository = createNotificationsRepository(pool);
  const orderId = newOrderId();
  const identity = {
    eventId: `${orderId}:4`,
    orderId,
    type: 'OrderCompleted',
    recipient: 'x@example.test',
    subject: 's',
  };
  assert.equal(await repository.claimForSending(identity, 'consumer-a', 1_000), 1);
  assert.equal(await repository.holdsClaim(identity.eventId, 'consumer-a', 1_000), true);
  // The replacement after a rebalance: A may still be sending, so B waits.
  assert.equal(await repository.claimForSending(identity, 'consumer-b', 1_000), 'busy');
  await new Promise((resolve) => setTimeout(resolve, 1_300));
  assert.equal(await repository.claimForSending(identity, 'consumer-b', 60_000), 2);
  assert.equal(await repository.holdsClaim(identity.eventId, 'consumer-a', 1_000), false, 'A lost it');
  assert.equal(await repository.markSent(identity.eventId, '<a@x>', 'consumer-a'), false);
  assert.equal(await repository.markSent(identity.eventId, '<b@x>', 'consumer-b'), true);
  assert.equal(await repository.claimForSending(identity, 'consumer-a', 1_000), 'finished');
  const [record] = await repository.listByOrder(orderId);
  assert.deepEqual([record?.status, record?.messageId], ['SENT', '<b@x>']);
});

test('the re-drive command brings a dead-lettered event back to its topic: e-mailed once, and only once', async () => {
  const { customer, event } = completed(newOrderId());
  // As the consumer dead-letters it (e.g. after a permanent refusal that was then fixed).
  await produce(t.kafka.producer, t.config.ORDER_EVENTS_DLQ_TOPIC, [
    {
      ...eventMessage(event),
      headers: {
        ...eventMessage(event).headers,
        'dlq-reason': 'smtp-rejected',
        'dlq-original-topic': t.config.ORDER_EVENTS_TOPIC,
      },
    },
  ]);
  const options = {
    brokers: stackVar('KAFKA_BROKERS').split(','),
    dlqTopic: t.config.ORDER_EVENTS_DLQ_TOPIC,
    dryRun: false,
    limit: 1_000,
    groupId: `redrive-test-${event.orderId}`,
  };
  const dry = await redriveDeadLetters({ ...options, dryRun: true });
  assert.deepEqual([dry.found, dry.redriven], [1, 0]);
  const first = await redriveDeadLetters(options);
  assert.deepEqual(
    [first.found, first.redriven, first.byTopic],
    [1, 1, { [t.config.ORDER_EVENTS_TOPIC]: 1 }],
  );
  await eventually('the re-driven mail', async () =>
    (await mailsTo(customer.email)).length ? true : undefined,
  );
  // A second run continues after what it committed: nothing left, nothing sent twice.
  const second = await redriveDeadLetters(options);
  assert.deepEqual([second.found, second.redriven], [0, 0]);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal((await mailsTo(customer.email)).length, 1);
});

test('the same event handled twice at once by one consumer (a redelivery during a restart) is sent once', async () => {
  const logger = createLogger('notification-test', 'silent');
  const handle = createOrderEventHandler({
    repository: createNotificationsRepository(pool),
    mailer: createMailer({ ...t.config }, logger),
    templates: { storeName: 'Test Shop' },
    metrics: createNotificationMetrics(new Registry()),
    logger,
    owner: 'one-consumer',
    claimLeaseMs: 60_000,
  });
  const { customer, event } = completed(newOrderId());
  const outcomes = (await Promise.allSettled([handle(event), handle(event)]))
    .map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).name))
    .sort();
  // Exactly one sends. The other meets the claim while the send is under way, or, on a loaded
  // machine where the first finished before the second began, finds it sent.
  assert.equal(outcomes[1], 'sent', JSON.stringify(outcomes));
  assert.ok(['ClaimHeldElsewhere', 'duplicate'].includes(String(outcomes[0])), JSON.stringify(outcomes));
  // Retried later, as the consumer does, the second finds it sent.
  assert.equal(await handle(event), 'duplicate');
  await eventually('the mail', async () => ((await mailsTo(customer.email)).length ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await mailsTo(customer.email)).length, 1);
});
