// The pure checks over small fixtures: a consistent world passes every check; each kind of
// inconsistency is found by the check named for it, with the order or SKU it concerns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChecks } from '../src/checks';
import { checkEmails } from '../src/checks/emails';
import { checkEvents } from '../src/checks/events';
import { checkMoney } from '../src/checks/money';
import { checkPendingRefunds } from '../src/checks/pending-refunds';
import { checkStock } from '../src/checks/stock';
import { checkNoDoubleRefund, checkOnePaymentIntent } from '../src/checks/stripe-objects';
import { checkTerminal } from '../src/checks/terminal';
import { toTopicMessage } from '../src/collect/kafka';
import type { AuditData } from '../src/model';
import { NOW, event, intent, line, mail, order, settings, stripeRefund, world } from './fixtures';

const subjects = (result: { violations: { orderId?: string; sku?: string }[] }) =>
  result.violations.map((v) => v.orderId ?? v.sku);

test('a consistent world has no violations in any check', () => {
  const results = runChecks(world(), settings({ stockBaseline: { MUG: 100 }, requireTerminal: true }));
  assert.deepEqual(
    results.flatMap((r) => r.violations),
    [],
  );
  assert.deepEqual(
    results.map((r) => r.check),
    [
      'terminal',
      'stock',
      'money',
      'one-payment-intent',
      'no-double-refund',
      'events',
      'emails',
      'pending-refunds',
    ],
  );
  assert.ok(results.every((r) => r.checked > 0));
});

test('terminal: orders in flight are listed, and are violations only when required', () => {
  const data = world();
  data.orders.push(order('slow', 'CONFIRMED'), order('queued', 'PENDING', { sagaStartedAt: null }));
  assert.deepEqual(checkTerminal(data, settings()).violations, []);
  const required = checkTerminal(data, settings({ requireTerminal: true }));
  assert.deepEqual(subjects(required), ['slow', 'queued']);
  assert.match(required.violations[1]?.detail ?? '', /saga not started/);
  assert.match(required.violations[0]?.detail ?? '', /still CONFIRMED after 600s/);
});

test('stock: a reserved counter that differs from the HELD reservations, and negative stock', () => {
  const data = world();
  data.products[0] = { sku: 'MUG', onHand: 98, reserved: 1 };
  assert.deepEqual(subjects(checkStock(data, settings())), ['MUG']);
  data.reservations.push(line('other', 'HELD', 1));
  assert.deepEqual(checkStock(data, settings()).violations, []);
  data.products[0] = { sku: 'MUG', onHand: 0, reserved: 1 };
  assert.match(checkStock(data, settings()).violations[0]?.detail ?? '', /on hand ≥ reserved/);
});

test('stock: on hand against the baseline, minus what stays committed since then', () => {
  const data = world();
  data.products[0] = { sku: 'MUG', onHand: 97, reserved: 0 };
  const result = checkStock(data, settings({ stockBaseline: { MUG: 100, GONE: 3 } }));
  assert.deepEqual(subjects(result), ['MUG', 'GONE']);
  assert.match(result.violations[0]?.detail ?? '', /on hand 97, expected 98/);
  // A reservation before the run began is not the run's doing.
  data.reservations.push({ ...line('old', 'COMMITTED', 1), createdAt: new Date('2026-01-01') });
  const baseline = { MUG: 100 };
  assert.deepEqual(checkStock(data, settings({ stockBaseline: baseline })).violations, []);
  const sinceFebruary = settings({ since: new Date('2026-02-01'), stockBaseline: baseline });
  assert.match(checkStock(data, sinceFebruary).violations[0]?.detail ?? '', /on hand 97, expected 98/);
});

test('stock: adjustments since the baseline count; those before it do not', () => {
  const data = world();
  const baseline = { MUG: 100 };
  data.products[0] = { sku: 'MUG', onHand: 103, reserved: 0 };
  data.stockAdjustments.push({ sku: 'MUG', delta: 5, createdAt: new Date('2026-03-01') });
  assert.deepEqual(checkStock(data, settings({ stockBaseline: baseline })).violations, []);
  data.stockAdjustments.push({ sku: 'MUG', delta: -2, createdAt: new Date('2026-01-01') });
  const sinceFebruary = settings({ since: new Date('2026-02-01'), stockBaseline: baseline });
  assert.deepEqual(checkStock(data, sinceFebruary).violations, []);
  // Without a start, every adjustment is the run's: 100 − 2 committed + 5 − 2 = 101.
  assert.match(
    checkStock(data, settings({ stockBaseline: baseline })).violations[0]?.detail ?? '',
    /on hand 103, expected 101 .*\+ 3 adjusted/,
  );
});

test('stock: a failed order still holding stock, a cancelled order that kept it, a completed one never committed', () => {
  const data = world();
  data.reservations = [line('done', 'HELD'), line('declined', 'HELD'), line('cancelled', 'COMMITTED', 2, 1)];
  data.products[0] = { sku: 'MUG', onHand: 98, reserved: 4 };
  const result = checkStock(data, settings());
  assert.deepEqual(subjects(result), ['done', 'declined', 'cancelled']);
  assert.match(result.violations[2]?.detail ?? '', /1 of 2 stay committed/);
});

test('money: Stripe against the order record and the payments record', () => {
  const data = world();
  data.payments[0] = { ...data.payments[0]!, refunded: 700 };
  const result = checkMoney(data);
  assert.deepEqual(subjects(result), ['done']);
  assert.match(result.violations[0]?.detail ?? '', /payments record .* refunded 700/);
});

test('money: a refund behind the system, a failed order that keeps money, a record that miscounts refunds', () => {
  const behind = world();
  behind.stripeRefunds.push(stripeRefund('re_x', 'pi_done', 100));
  const result = checkMoney(behind);
  assert.equal(result.violations.length, 2);
  assert.match(
    result.violations[0]?.detail ?? '',
    /refunded 600 \(nets 1400\); the COMPLETED order record nets 1500/,
  );

  const kept = world();
  kept.intents[1] = intent('pi_declined', 'declined', 2000);
  assert.deepEqual(subjects(checkMoney(kept)), ['declined', 'declined']);

  const miscounted = world();
  miscounted.orders[3] = { ...miscounted.orders[3]!, refunded: 0 };
  const detail = checkMoney(miscounted).violations.map((v) => v.detail);
  assert.deepEqual(detail, ['the order record says 0 refunded; Stripe captured 2000 and refunded 2000']);
});

test('money: orders in flight are not judged', () => {
  const data = world();
  data.orders.push(order('busy', 'CONFIRMED'));
  data.intents.push(intent('pi_busy', 'busy', 2000));
  assert.deepEqual(checkMoney(data).violations, []);
});

test('one PaymentIntent per order', () => {
  const data = world();
  data.intents.push(intent('pi_again', 'done', 0, 'canceled'));
  const result = checkOnePaymentIntent(data);
  assert.deepEqual(subjects(result), ['done']);
  assert.match(result.violations[0]?.detail ?? '', /2 PaymentIntents: pi_done .*pi_again/);
});

test('no refund twice: the same refund key twice, more refunded than received; failed refunds do not count', () => {
  const data = world();
  data.stripeRefunds.push(stripeRefund('re_again', 'pi_done', 500, 'done:refund:r1'));
  data.stripeRefunds.push(stripeRefund('re_more', 'pi_cancelled', 1, null));
  data.stripeRefunds.push({ ...stripeRefund('re_failed', 'pi_done', 2000, 'x'), status: 'failed' });
  const result = checkNoDoubleRefund(data);
  assert.deepEqual(subjects(result), ['done', 'cancelled']);
  assert.match(result.violations[0]?.detail ?? '', /refund key done:refund:r1 refunded 2 times/);
  assert.match(result.violations[1]?.detail ?? '', /total 2001, more than the 2000 received/);
});

test('events: a gap, a payload changed under one id, a wrong last event, none at all, an invalid message', () => {
  const data = world();
  data.messages = data.messages.filter((m) => m.event?.id !== 'done:3');
  data.messages.push({ ...event('declined', 2, 'OrderFailed', { changed: true }), offset: '99' });
  data.messages = data.messages.filter((m) => m.event?.id !== 'cancelled:5');
  data.messages = data.messages.filter((m) => m.orderId !== 'scarce');
  data.messages.push(
    toTopicMessage(1, '7', Buffer.from(JSON.stringify({ orderId: 'scarce', type: 'Nope' }))),
  );
  const result = checkEvents(data);
  const details = Object.fromEntries(
    result.violations.map((v) => [`${v.orderId}:${v.detail.slice(0, 12)}`, v.detail]),
  );
  assert.deepEqual(subjects(result).sort(), ['cancelled', 'declined', 'done', 'scarce', 'scarce']);
  assert.ok(Object.values(details).some((d) => /missing 3 of 1\.\.5/.test(d)));
  assert.ok(Object.values(details).some((d) => /declined:2 was published with 2 different payloads/.test(d)));
  assert.ok(Object.values(details).some((d) => /CANCELLED but the last event is OrderCompleted/.test(d)));
  assert.ok(Object.values(details).some((d) => /FAILED but no event on the topic/.test(d)));
  assert.ok(
    Object.values(details).some((d) =>
      /invalid event at partition 1 offset 7: not a valid order event/.test(d),
    ),
  );
});

test('events: the same event delivered twice with the same payload is fine; out-of-scope orders are ignored', () => {
  const data = world();
  data.messages.push({ ...event('done', 2, 'OrderConfirmed'), offset: '42' });
  data.messages.push(event('elsewhere', 3, 'OrderPlaced'));
  assert.deepEqual(checkEvents(data).violations, []);
});

test('e-mails: a duplicate, a missing one, one for an event the topic never had', () => {
  const data: AuditData = world();
  data.mails.push(mail('done:4', 'done', 'OrderCompleted'));
  data.mails = data.mails.filter((m) => m.eventId !== 'declined:2');
  data.mails.push(mail('scarce:9', 'scarce', 'OrderFailed'));
  data.mails.push(mail('elsewhere:1', 'elsewhere', 'OrderFailed'));
  const result = checkEmails(data);
  assert.deepEqual(
    result.violations.map((v) => v.detail),
    [
      'OrderCompleted done:4: 2 e-mails, expected exactly one',
      'OrderFailed declined:2: no e-mail, expected exactly one',
      '1 e-mail(s) for event scarce:9, which is not on the topic',
    ],
  );
  assert.equal(result.checked, 6);
});

test('pending refunds: older than the limit only', () => {
  const data = world();
  data.refunds.push(
    {
      idempotencyKey: 'a',
      orderId: 'done',
      refundId: null,
      amount: 10,
      createdAt: new Date(NOW.getTime() - 16 * 60_000),
    },
    {
      idempotencyKey: 'b',
      orderId: 'done',
      refundId: null,
      amount: 10,
      createdAt: new Date(NOW.getTime() - 60_000),
    },
  );
  const result = checkPendingRefunds(data, settings());
  assert.deepEqual(
    result.violations.map((v) => v.detail),
    ['refund a of 10 pending for 16 min (limit 15)'],
  );
  assert.equal(checkPendingRefunds(data, settings({ pendingRefundMinutes: 30 })).violations.length, 0);
});

test('topic messages: a valid event is parsed without its trace context; junk is named', () => {
  const valid = {
    id: 'o-1:1',
    orderId: 'o-1',
    sequence: 1,
    type: 'OrderFailed',
    occurredAt: NOW.toISOString(),
    schemaVersion: 1,
    traceparent: '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01',
    data: {
      customer: { id: 'c', email: 'c@example.test' },
      failedStep: 'reserve',
      code: 'OUT_OF_STOCK',
      reason: 'x',
      compensations: [],
    },
  };
  const a = toTopicMessage(0, '1', Buffer.from(JSON.stringify(valid)));
  const b = toTopicMessage(0, '2', Buffer.from(JSON.stringify({ ...valid, traceparent: undefined })));
  assert.equal(a.event?.payload, b.event?.payload);
  assert.equal(a.event?.type, 'OrderFailed');
  assert.equal(toTopicMessage(0, '3', Buffer.from('{')).invalid, 'not JSON');
  assert.equal(toTopicMessage(0, '4', null).invalid, 'empty message');
  assert.match(
    toTopicMessage(0, '5', Buffer.from('{"orderId":"o-1"}')).invalid ?? '',
    /^not a valid order event: /,
  );
});
