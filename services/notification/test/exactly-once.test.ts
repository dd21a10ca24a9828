// Exactly one e-mail per event id: duplicates, re-sent copies, and what a crash leaves behind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  listNotifications,
  mailTo,
  processed,
  startTestService,
  theOnlyMailTo,
  type TestService,
} from './stack-clients';
import { newCustomer, newOrderId, orderEvent, sampleItems } from './support';

let t: TestService;

before(async () => {
  t = await startTestService();
});

after(() => t?.stop());

test('the same event delivered twice sends one e-mail', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const data = { customer, items: sampleItems, total: 3399, currency: 'eur' };
  const event = orderEvent('OrderCompleted', orderId, 4, data);
  const sentinel = orderEvent('OrderRefunded', orderId, 5, {
    customer,
    refundId: 're_1',
    amount: 100,
    totalRefunded: 100,
    currency: 'eur',
    reason: 'goodwill',
    actor: 'support',
  });
  await t.send(event, event);
  // A re-sent copy (same id, new occurredAt) after the first was handled is dropped too.
  await processed(t.service.url, orderId, event.id);
  await t.send({ ...event, occurredAt: new Date().toISOString() }, sentinel);
  await processed(t.service.url, orderId, sentinel.id);

  const items = await listNotifications(t.service.url, orderId);
  const confirmation = items.find((i) => i.eventId === event.id);
  assert.equal(confirmation?.status, 'SENT');
  assert.equal(confirmation?.attempts, 1);
  const mails = await mailTo(customer.email);
  assert.equal(mails.filter((m) => /is confirmed$/.test(m.Subject)).length, 1);
  assert.equal(mails.length, 2);

  const metrics = await (await fetch(`${t.service.metricsUrl}/metrics`)).text();
  const duplicates = /^notifications_duplicates_total\{[^}]*\} (\d+)/m.exec(metrics);
  assert.ok(Number(duplicates?.[1]) >= 2, 'duplicates are counted');
});

test('an event left SENDING by a crash before it was marked is sent on redelivery', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const event = orderEvent('OrderCompleted', orderId, 9, {
    customer,
    items: sampleItems,
    total: 3399,
    currency: 'eur',
  });
  // What a process that died between claiming and marking leaves behind.
  await t.service.pool.query(
    `INSERT INTO processed_events (event_id, order_id, type, status, recipient, subject, attempts)
     VALUES ($1, $2, $3, 'SENDING', $4, 'interrupted', 1)`,
    [event.id, orderId, event.type, customer.email],
  );
  await t.send(event);

  const item = await processed(t.service.url, orderId, event.id);
  assert.equal(item.status, 'SENT');
  assert.equal(item.attempts, 2);
  await theOnlyMailTo(customer.email);
});

test('an event already SENT, e.g. before a restart, is not sent again', async () => {
  const customer = newCustomer();
  const orderId = newOrderId();
  const event = orderEvent('OrderCancelled', orderId, 2, {
    customer,
    reason: 'r',
    actor: 'customer',
    compensations: [],
    refunded: 0,
    currency: 'eur',
  });
  const sentinel = orderEvent('OrderRefunded', orderId, 3, {
    customer,
    refundId: 're_2',
    amount: 100,
    totalRefunded: 100,
    currency: 'eur',
    reason: 'goodwill',
    actor: 'support',
  });
  await t.service.pool.query(
    `INSERT INTO processed_events (event_id, order_id, type, status, recipient, subject, message_id, attempts, sent_at)
     VALUES ($1, $2, $3, 'SENT', $4, 'earlier', '<earlier@orders.local>', 1, now())`,
    [event.id, orderId, event.type, customer.email],
  );
  await t.send(event, sentinel);

  await processed(t.service.url, orderId, sentinel.id);
  const mail = await theOnlyMailTo(customer.email);
  assert.match(mail.Subject, /^Refund of/);
  const record = (await listNotifications(t.service.url, orderId)).find((i) => i.eventId === event.id);
  assert.equal(record?.messageId, '<earlier@orders.local>');
});
