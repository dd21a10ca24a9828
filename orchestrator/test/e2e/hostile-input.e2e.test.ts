// Bytes the database refuses, sent to every service as it runs (real processes, real
// PostgreSQL): NUL and unpaired surrogates in bodies, object keys, query strings, path
// parameters and headers, and invalid UTF-8, each answered 400 problem+json naming the field,
// with nothing written. Also: undeclared methods are 405 with Allow, and a placement whose
// lines repeat a SKU is one line per SKU (the schema cannot say "unique by sku").
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createPool,
  DEV_INTERNAL_API_TOKEN,
  escapeUnstorable,
  type Pool,
  type ProblemDetails,
} from '@orders/platform';
import type { AppName } from '@orders/stack/apps';
import { newCustomer, supportToken } from './clients';
import { eventually, startTestSystem, uniqueSku, type TestSystem } from './system-under-test';

let t: TestSystem;
let orders: Pool;
let inventory: Pool;
let payments: Pool;

before(async () => {
  t = await startTestSystem('hostile', { refundWindowSeconds: 60 });
  orders = createPool(requireEnv('ORDERS_DATABASE_URL'), { max: 2 });
  inventory = createPool(requireEnv('INVENTORY_DATABASE_URL'), { max: 2 });
  payments = createPool(requireEnv('PAYMENTS_DATABASE_URL'), { max: 2 });
});

after(async () => {
  await Promise.all([orders?.end(), inventory?.end(), payments?.end()]);
  await t?.stop();
});

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\``);
  return value;
}

const NUL = 'ab\u0000cd';
const LONE = 'ab\ud800cd';
const BAD_TEXT = [
  ['NUL', NUL],
  ['an unpaired surrogate', LONE],
] as const;
/** The UTF-8 bytes of a surrogate (invalid UTF-8) and a NUL, percent-encoded for URLs. */
const BAD_URL_TEXT = [
  ['NUL', 'ab%00cd'],
  ['an encoded surrogate', 'ab%ED%A0%80cd'],
] as const;
const internal = { authorization: `Bearer ${DEV_INTERNAL_API_TOKEN}` };

interface Reply {
  status: number;
  contentType: string;
  allow: string | null;
  body: ProblemDetails & Record<string, unknown>;
}

/** `body` is sent as given: a string keeps escapes such as \ud800 that JSON.stringify would write. */
async function send(
  method: string,
  url: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type')?.split(';')[0] ?? '',
    allow: res.headers.get('allow'),
    body: (text ? JSON.parse(text) : {}) as Reply['body'],
  };
}

/** A raw HTTP/1.1 request, for header bytes fetch refuses to send. */
function rawRequest(
  url: string,
  head: string,
): Promise<{ status: number; contentType: string; body: ProblemDetails }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // write, not end: a half-closed connection makes Node drop the request unanswered.
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(Buffer.from(`${head}\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`, 'latin1'));
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [statusLine = '', ...rest] = data.split('\r\n');
      const contentType =
        rest
          .find((l) => /^content-type:/i.test(l))
          ?.split(':')[1]
          ?.trim() ?? '';
      try {
        resolve({
          status: Number(statusLine.split(' ')[1]),
          contentType: contentType.split(';')[0] ?? '',
          body: JSON.parse(data.slice(data.indexOf('\r\n\r\n') + 4)) as ProblemDetails,
        });
      } catch {
        reject(new Error(`not an HTTP answer with a JSON body: ${JSON.stringify(data)}`));
      }
    });
  });
}

function assertNamed(
  reply: { status: number; contentType: string; body: ProblemDetails },
  field: string,
  what = '',
) {
  const context = `${what}: ${JSON.stringify(reply.body)}`;
  assert.equal(reply.status, 400, context);
  assert.equal(reply.contentType, 'application/problem+json', context);
  assert.ok(
    reply.body.errors?.some((e) => e.field === field),
    `${field} named in ${context}`,
  );
}

const json = (value: unknown) => JSON.stringify(value);
/** JSON with one string swapped for `bad`, escaped as a client would send it (\u0000, \ud800). */
const withBad = (template: unknown, bad: string) =>
  json(template).replace('"BAD"', `"${escapeUnstorable(bad)}"`);

async function orderRows(customerId: string): Promise<number> {
  const { rows } = await orders.query<{ n: string }>(
    'SELECT count(*) AS n FROM orders WHERE customer_id = $1',
    [customerId],
  );
  return Number(rows[0]?.n);
}

describe('order service', () => {
  test('a bad string anywhere in a placement body is a 400 naming it, and no order is stored', async () => {
    const customer = await newCustomer();
    const url = `${t.system.urls.order}/v1/orders`;
    const auth = { authorization: `Bearer ${customer.token}` };
    for (const [what, bad] of BAD_TEXT) {
      const cases: [unknown, string][] = [
        [{ items: [{ sku: 'BAD', quantity: 1 }], paymentMethod: 'pm_card_visa' }, 'items.0.sku'],
        [{ items: [{ sku: 'MUG-LOGO', quantity: 1 }], paymentMethod: 'BAD' }, 'paymentMethod'],
      ];
      for (const [template, field] of cases) {
        const reply = await send('POST', url, withBad(template, bad), {
          ...auth,
          'idempotency-key': randomUUID(),
        });
        assertNamed(reply, field, `${what} in ${field}`);
      }
      const key = `{"items":[{"sku":"MUG-LOGO","quantity":1}],"paymentMethod":"pm_card_visa","${
        what === 'NUL' ? 'x\\u0000' : 'x\\ud800'
      }":1}`;
      const reply = await send('POST', url, key, { ...auth, 'idempotency-key': randomUUID() });
      assert.equal(reply.status, 400, `${what} in a property name`);
      assert.match(reply.body.errors?.[0]?.field ?? '', /^x\\u(0000|d800)$/);
    }
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"items":[{"sku":"MUG-LOGO","quantity":1}],"paymentMethod":"pm_'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    assertNamed(
      await send('POST', url, invalidUtf8, { ...auth, 'idempotency-key': randomUUID() }),
      '(body)',
      'invalid UTF-8',
    );
    assert.equal(await orderRows(customer.id), 0);
  });

  test('bad text in the Idempotency-Key header, a query or a path parameter is a 400 naming it', async () => {
    const customer = await newCustomer();
    const base = t.system.urls.order;
    const body = json({ items: [{ sku: 'MUG-LOGO', quantity: 1 }], paymentMethod: 'pm_card_visa' });
    // A NUL byte: Node's parser refuses the request before express; the answer still names the header.
    const nul = await rawRequest(
      base,
      `POST /v1/orders HTTP/1.1\r\nAuthorization: Bearer ${customer.token}\r\nIdempotency-Key: a\u0000b`,
    );
    assertNamed(nul, 'Idempotency-Key', 'NUL in Idempotency-Key');
    // A surrogate's UTF-8 bytes arrive as latin1 text: not a key this API takes.
    const surrogate = await rawRequest(
      base,
      `POST /v1/orders HTTP/1.1\r\nAuthorization: Bearer ${customer.token}\r\nIdempotency-Key: a\u00ed\u00a0\u0080b`,
    );
    assertNamed(surrogate, 'Idempotency-Key', 'surrogate bytes in Idempotency-Key');
    assertNamed(
      await send('POST', `${base}/v1/orders`, body, {
        authorization: `Bearer ${customer.token}`,
        'idempotency-key': '   ',
      }),
      'Idempotency-Key',
      'a blank Idempotency-Key',
    );
    const support = await supportToken();
    for (const [what, bad] of BAD_URL_TEXT) {
      const auth = { authorization: `Bearer ${support}` };
      for (const parameter of ['customerId', 'cursor', 'status']) {
        assertNamed(
          await send('GET', `${base}/v1/orders?${parameter}=${bad}`, undefined, auth),
          parameter,
          what,
        );
      }
      const path = await send('GET', `${base}/v1/orders/${bad}`, undefined, auth);
      assertNamed(path, what === 'NUL' ? 'id' : 'path', `${what} in the order id`);
      const cancel = await send('POST', `${base}/v1/orders/${bad}/cancel`, json({ reason: 'x' }), auth);
      assertNamed(cancel, what === 'NUL' ? 'id' : 'path', `${what} in the cancelled order's id`);
    }
    assert.equal(await orderRows(customer.id), 0);
  });

  test('the internal routes refuse bad text in their bodies before touching the order', async () => {
    const { token } = await newCustomer();
    const placed = await send(
      'POST',
      `${t.system.urls.order}/v1/orders`,
      json({ items: [{ sku: 'MUG-LOGO', quantity: 1 }], paymentMethod: 'pm_card_visa' }),
      { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    );
    assert.equal(placed.status, 202, JSON.stringify(placed.body));
    const orderId = String(placed.body.orderId);
    const base = `${t.system.urls.order}/internal/v1/orders/${orderId}`;
    for (const [what, bad] of BAD_TEXT) {
      assertNamed(
        await send('POST', `${base}/cancel-record`, withBad({ reason: 'BAD' }, bad), internal),
        'reason',
        what,
      );
      const outcome = {
        status: 'FAILED',
        failure: { step: 'reserve', code: 'OUT_OF_STOCK', reason: 'BAD' },
        compensations: [],
      };
      assertNamed(
        await send('POST', `${base}/outcome`, withBad(outcome, bad), internal),
        'failure.reason',
        what,
      );
    }
    const { rows } = await orders.query<{ status_reason: string | null }>(
      'SELECT status_reason FROM orders WHERE id = $1',
      [orderId],
    );
    assert.ok(!rows[0]?.status_reason?.includes('ab'), 'no reason was recorded from a refused request');
  });
});

describe('inventory service', () => {
  test('bad text in a product, a reservation, a query or a path is a 400 naming it; stock is untouched', async () => {
    const base = t.system.urls.inventory;
    const sku = uniqueSku('HOSTILE');
    const created = await send(
      'PUT',
      `${base}/v1/products/${sku}`,
      json({ name: 'Hostile mug', unitPrice: 500, currency: 'eur', onHand: 10 }),
      internal,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const fresh = uniqueSku('NEVER');
    for (const [what, bad] of BAD_TEXT) {
      const product = withBad({ name: 'BAD', unitPrice: 1, currency: 'eur', onHand: 1 }, bad);
      assertNamed(await send('PUT', `${base}/v1/products/${fresh}`, product, internal), 'name', what);
      const reserve = (template: unknown) =>
        send('POST', `${base}/v1/reservations`, withBad(template, bad), internal);
      assertNamed(await reserve({ orderId: 'BAD', items: [{ sku, quantity: 1 }] }), 'orderId', what);
      assertNamed(
        await reserve({ orderId: `ord-${randomUUID()}`, items: [{ sku: 'BAD', quantity: 1 }] }),
        'items.0.sku',
        what,
      );
    }
    for (const [what, bad] of BAD_URL_TEXT) {
      assertNamed(
        await send('GET', `${base}/v1/products?skus=${sku},${bad}`, undefined, internal),
        'skus',
        what,
      );
      const path = await send('GET', `${base}/v1/products/${bad}`, undefined, internal);
      assertNamed(path, what === 'NUL' ? 'sku' : 'path', what);
      const release = await send('POST', `${base}/v1/reservations/${bad}/release`, undefined, internal);
      assertNamed(release, what === 'NUL' ? 'orderId' : 'path', what);
    }
    assert.equal((await send('GET', `${base}/v1/products/${fresh}`, undefined, internal)).status, 404);
    const { rows } = await inventory.query<{ on_hand: number; reserved: number }>(
      'SELECT on_hand, reserved FROM products WHERE sku = $1',
      [sku],
    );
    assert.deepEqual(rows[0], { on_hand: 10, reserved: 0 });
  });
});

describe('payment service', () => {
  test('bad text in an authorization, a path, a query or a key is a 400 naming it; no payment is stored', async () => {
    const base = t.system.urls.payment;
    const orderId = `ord-${randomUUID()}`;
    for (const [what, bad] of BAD_TEXT) {
      const authorize = (template: unknown) =>
        send('POST', `${base}/v1/payments/authorize`, withBad(template, bad), {
          ...internal,
          'idempotency-key': `${orderId}:authorize`,
        });
      const valid = {
        orderId,
        customerId: 'cust-1',
        amount: 100,
        currency: 'eur',
        paymentMethod: 'pm_card_visa',
      };
      assertNamed(await authorize({ ...valid, paymentMethod: 'BAD' }), 'paymentMethod', what);
      assertNamed(await authorize({ ...valid, customerId: 'BAD' }), 'customerId', what);
      assertNamed(await authorize({ ...valid, orderId: 'BAD' }), 'orderId', what);
      const refund = await send(
        'POST',
        `${base}/v1/payments/${orderId}/refunds`,
        withBad({ reason: 'BAD' }, bad),
        {
          ...internal,
          'idempotency-key': `${orderId}:refund`,
        },
      );
      assertNamed(refund, 'reason', what);
    }
    for (const [what, bad] of BAD_URL_TEXT) {
      const capture = await send('POST', `${base}/v1/payments/${bad}/capture`, undefined, {
        ...internal,
        'idempotency-key': 'k',
      });
      assertNamed(capture, what === 'NUL' ? 'orderId' : 'path', what);
      const settle = await send(
        'POST',
        `${base}/v1/payments/${orderId}/refunds/${bad}/settle`,
        undefined,
        internal,
      );
      assertNamed(settle, what === 'NUL' ? 'key' : 'path', what);
      assertNamed(await send('GET', `${base}/v1/refunds?status=${bad}`, undefined, internal), 'status', what);
    }
    const { rows } = await payments.query('SELECT 1 FROM payments WHERE order_id LIKE $1', [`${orderId}%`]);
    assert.equal(rows.length, 0);
  });
});

describe('notification service', () => {
  test('bad text in the order id it is asked about is a 400 naming it', async () => {
    for (const [what, bad] of BAD_URL_TEXT) {
      assertNamed(
        await send(
          'GET',
          `${t.system.urls.notification}/v1/notifications?orderId=${bad}`,
          undefined,
          internal,
        ),
        'orderId',
        what,
      );
    }
  });
});

test('every service answers an undeclared method on a known path with 405 and Allow, OPTIONS with the methods', async () => {
  const { token } = await newCustomer();
  const cases: [AppName, string, string, Record<string, string>][] = [
    ['order', '/v1/orders', 'GET, HEAD, POST', { authorization: `Bearer ${token}` }],
    ['order', `/v1/orders/${randomUUID()}`, 'GET, HEAD', { authorization: `Bearer ${token}` }],
    ['inventory', '/v1/products/MUG-LOGO', 'GET, HEAD, PUT', internal],
    ['payment', `/v1/payments/ord-${randomUUID()}/capture`, 'POST', internal],
    ['payment', '/v1/refunds', 'GET, HEAD', internal],
    ['notification', '/v1/notifications', 'GET, HEAD', internal],
  ];
  for (const [app, path, allow, headers] of cases) {
    const url = `${t.system.urls[app]}${path}`;
    const reply = await send('DELETE', url, undefined, headers);
    assert.equal(reply.status, 405, `${app} DELETE ${path}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.contentType, 'application/problem+json');
    assert.equal(reply.allow, allow, `${app} ${path}`);
    const options = await send('OPTIONS', url, undefined, headers);
    assert.equal(options.status, 204, `${app} OPTIONS ${path}`);
    assert.equal(options.allow, `${allow}, OPTIONS`);
  }
  // Outside the public prefixes nothing is answered without the internal token, not even a 404.
  assert.equal((await send('DELETE', `${t.system.urls.order}/nowhere`)).status, 401);
  assert.equal((await send('DELETE', `${t.system.urls.order}/nowhere`, undefined, internal)).status, 404);
});

test('placement lines naming the same SKU are one line with the quantities added', async () => {
  const sku = uniqueSku('MERGE');
  await send(
    'PUT',
    `${t.system.urls.inventory}/v1/products/${sku}`,
    json({ name: 'Merge mug', unitPrice: 300, currency: 'eur', onHand: 10 }),
    internal,
  );
  const { token } = await newCustomer();
  const auth = { authorization: `Bearer ${token}` };
  const placed = await send(
    'POST',
    `${t.system.urls.order}/v1/orders`,
    json({
      items: [
        { sku, quantity: 1 },
        { sku, quantity: 2 },
      ],
      paymentMethod: 'pm_card_visa',
    }),
    { ...auth, 'idempotency-key': randomUUID() },
  );
  assert.equal(placed.status, 202, JSON.stringify(placed.body));
  assert.equal(placed.body.total, 900);
  const order = await eventually('the order to complete', async () => {
    const reply = await send(
      'GET',
      `${t.system.urls.order}/v1/orders/${String(placed.body.orderId)}`,
      undefined,
      auth,
    );
    return (reply.body as { status?: unknown }).status === 'COMPLETED' ? reply.body : undefined;
  });
  assert.deepEqual(
    (order.items as { sku: string; quantity: number }[]).map(({ sku, quantity }) => ({ sku, quantity })),
    [{ sku, quantity: 3 }],
  );
  const { rows } = await inventory.query<{ on_hand: number }>('SELECT on_hand FROM products WHERE sku = $1', [
    sku,
  ]);
  assert.equal(rows[0]?.on_hand, 7);
});

test('a SKU or reason of only whitespace is refused as the document says (pattern), not trimmed to empty', async () => {
  const { token } = await newCustomer();
  const reply = await send(
    'POST',
    `${t.system.urls.order}/v1/orders`,
    json({ items: [{ sku: '   ', quantity: 1 }], paymentMethod: '\ufeff' }),
    { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
  );
  assert.equal(reply.status, 400);
  assert.deepEqual(reply.body.errors?.map((e) => e.field).sort(), ['items.0.sku', 'paymentMethod']);
});
