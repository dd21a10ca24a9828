import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventId, parseOrderEvent } from '../src/events';

const base = { orderId: 'ord-1', sequence: 3, occurredAt: '2026-11-23T10:00:00.000Z', schemaVersion: 1 };
const customer = { id: 'c-1', email: 'shopper@example.test' };

test('event ids are deterministic from order id and sequence', () => {
  assert.equal(eventId('ord-1', 3), 'ord-1:3');
});

test('a well-formed event parses and keeps its type-specific data', () => {
  const event = parseOrderEvent({
    ...base,
    id: eventId('ord-1', 3),
    type: 'PaymentCaptured',
    data: { customer, amount: 1999, currency: 'eur', paymentId: 'pi_1' },
  });
  assert.equal(event.type, 'PaymentCaptured');
  if (event.type === 'PaymentCaptured') assert.equal(event.data.amount, 1999);
});

test('unknown types, wrong versions and bad data are rejected with the field named', () => {
  assert.throws(() => parseOrderEvent({ ...base, id: 'x', type: 'OrderTeleported', data: {} }));
  assert.throws(() =>
    parseOrderEvent({
      ...base,
      id: 'x',
      schemaVersion: 2,
      type: 'OrderConfirmed',
      data: { customer, total: 1, currency: 'eur' },
    }),
  );
  assert.throws(
    () =>
      parseOrderEvent({
        ...base,
        id: 'x',
        type: 'OrderConfirmed',
        data: { customer: { id: 'c', email: 'not-an-email' }, total: 1, currency: 'eur' },
      }),
    (err: Error) => err.message.includes('email'),
  );
});
