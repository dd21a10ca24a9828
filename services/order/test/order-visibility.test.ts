// The one rule of who sees which orders, as the order read, the list and the support requests
// all apply it (each of those is tested against PostgreSQL in its own file).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../src/auth/tokens';
import { NotYourOrder, visibleCustomer } from '../src/domain/order-visibility';

const customer: Principal = { subject: 'cust-1', role: 'customer', email: 'ada@example.test' };
const support: Principal = { subject: 'agent-7', role: 'support' };

test('a customer sees their own orders, and asking for none means their own', () => {
  assert.equal(visibleCustomer(customer, 'cust-1'), 'cust-1');
  assert.equal(visibleCustomer(customer, undefined), 'cust-1');
});

test("a customer asking for another customer's orders is refused", () => {
  assert.throws(() => visibleCustomer(customer, 'cust-2'), NotYourOrder);
  // Ids are compared exactly: no case folding or trimming lets a near-match through.
  assert.throws(() => visibleCustomer(customer, 'CUST-1'), NotYourOrder);
  assert.throws(() => visibleCustomer(customer, 'cust-1 '), NotYourOrder);
});

test("support sees any customer's orders, and asking for none means everyone's", () => {
  assert.equal(visibleCustomer(support, 'cust-2'), 'cust-2');
  assert.equal(visibleCustomer(support, undefined), undefined);
});

test('support staff do not see orders as the customer their subject happens to name', () => {
  // The subject of a support token is an agent id: it never narrows what support sees.
  assert.equal(visibleCustomer({ ...support, subject: 'cust-1' }, 'cust-2'), 'cust-2');
});
