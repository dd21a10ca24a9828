import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startInventory, uniqueOrderId, uniqueSku, type Inventory, type ProblemJson } from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory();
});
after(() => inventory.close());

const fields = (problem: ProblemJson) => (problem.errors ?? []).map((e) => e.field).sort();

test('bad reserve bodies are 400 problem+json naming each field, and nothing is held', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const orderId = uniqueOrderId();
  const cases: [unknown, string[]][] = [
    [{}, ['items', 'orderId']],
    [{ orderId }, ['items']],
    [{ orderId, items: [] }, ['items']],
    [{ orderId, items: [{ sku, quantity: -1 }] }, ['items.0.quantity']],
    [{ orderId, items: [{ sku, quantity: 0 }] }, ['items.0.quantity']],
    [{ orderId, items: [{ sku, quantity: 1.5 }] }, ['items.0.quantity']],
    [{ orderId, items: [{ sku, quantity: 1001 }] }, ['items.0.quantity']],
    [{ orderId, items: [{ sku, quantity: '2' }] }, ['items.0.quantity']],
    [{ orderId, items: [{ quantity: 1 }] }, ['items.0.sku']],
    [
      {
        orderId,
        items: [
          { sku, quantity: 1 },
          { sku, quantity: 2 },
        ],
      },
      ['items.1.sku'],
    ],
    [{ orderId, items: Array.from({ length: 51 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })) }, ['items']],
    [{ orderId, items: [{ sku, quantity: 1 }], ttlSeconds: 0 }, ['ttlSeconds']],
    [{ orderId: 'has spaces', items: [{ sku, quantity: 1 }] }, ['orderId']],
    [[{ orderId }], ['']],
  ];
  for (const [body, expected] of cases) {
    const res = await inventory.call<ProblemJson>('POST', '/v1/reservations', body);
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(res.contentType, 'application/problem+json');
    assert.deepEqual(fields(res.body), expected, JSON.stringify(body).slice(0, 80));
  }
  assert.equal((await inventory.product(sku)).reserved, 0);
  assert.equal((await inventory.call('GET', `/v1/reservations/${orderId}`)).status, 404);
});

test('non-JSON and malformed bodies are 415 and 400', async () => {
  const orderId = uniqueOrderId();
  const form = await fetch(`${inventory.url}/v1/reservations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${inventory.internalApiToken}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `orderId=${orderId}`,
  });
  assert.equal(form.status, 415);
  assert.equal(form.headers.get('content-type')?.split(';')[0], 'application/problem+json');

  const malformed = await inventory.call<ProblemJson>('POST', '/v1/reservations', '{"orderId":');
  assert.equal(malformed.status, 400);
  assert.deepEqual(fields(malformed.body), ['(body)']);
  assert.equal((await inventory.call('GET', `/v1/reservations/${orderId}`)).status, 404);
});

test('bad product bodies are 400 naming the fields, and the product is not created or changed', async () => {
  const sku = uniqueSku();
  const res = await inventory.call<ProblemJson>('PUT', `/v1/products/${sku}`, {
    name: '',
    unitPrice: -1,
    currency: 'EUR',
    onHand: -5,
    maxPerOrder: 0,
  });
  assert.equal(res.status, 400);
  assert.deepEqual(fields(res.body), ['currency', 'maxPerOrder', 'name', 'onHand', 'unitPrice']);
  assert.equal((await inventory.call('GET', `/v1/products/${sku}`)).status, 404);

  const existing = await inventory.createProduct({ onHand: 7 });
  const missing = await inventory.call<ProblemJson>('PUT', `/v1/products/${existing}`, { name: 'x' });
  assert.equal(missing.status, 400);
  assert.deepEqual(fields(missing.body), ['currency', 'onHand', 'unitPrice']);
  assert.equal((await inventory.product(existing)).onHand, 7);
});

test('bad path parameters and query strings are 400', async () => {
  const badSku = await inventory.call<ProblemJson>('GET', '/v1/products/bad%20sku');
  assert.equal(badSku.status, 400);
  assert.deepEqual(fields(badSku.body), ['sku']);

  const badOrder = await inventory.call<ProblemJson>('POST', '/v1/reservations/bad%20id/commit');
  assert.equal(badOrder.status, 400);
  assert.deepEqual(fields(badOrder.body), ['orderId']);

  const tooMany = Array.from({ length: 501 }, (_, i) => `S${i}`).join(',');
  const badList = await inventory.call<ProblemJson>('GET', `/v1/products?skus=${tooMany}`);
  assert.equal(badList.status, 400);
  assert.deepEqual(fields(badList.body), ['skus']);

  // A SKU that cannot exist is simply absent, like any unknown one.
  const odd = await inventory.call<{ items: unknown[] }>('GET', '/v1/products?skus=not%20a%20sku,%2F..%2F');
  assert.deepEqual([odd.status, odd.body.items], [200, []]);
});

test('bad return bodies and keys are 400 and return nothing', async () => {
  const sku = await inventory.createProduct({ onHand: 5 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 2 }]);
  await inventory.call('POST', `/v1/reservations/${orderId}/commit`);

  const negative = await inventory.call<ProblemJson>(
    'POST',
    `/v1/reservations/${orderId}/return`,
    { items: [{ sku, quantity: -1 }] },
    { 'idempotency-key': 'k-1' },
  );
  assert.equal(negative.status, 400);
  assert.deepEqual(fields(negative.body), ['items.0.quantity']);

  const badKey = await inventory.call<ProblemJson>('POST', `/v1/reservations/${orderId}/return`, undefined, {
    'idempotency-key': 'x'.repeat(300),
  });
  assert.equal(badKey.status, 400);
  assert.deepEqual(fields(badKey.body), ['Idempotency-Key']);
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [3, 0]);
});
