// GET /v1/orders against the real PostgreSQL: keyset pages, role scoping, filters, cursors.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPool, migrate, type Pool, type RunningServer, type ProblemDetails } from '@orders/platform';
import { authenticate } from '../src/auth/middleware';
import { createOrdersRepository, type OrdersRepository } from '../src/data-access/orders-repository';
import type { OrderRecordStatus } from '../src/domain/order';
import { listOrdersRoute } from '../src/routes/list-orders';
import {
  bearer,
  call,
  customerToken,
  requireEnv,
  newOrder,
  serve,
  silentLogger,
  supportToken,
  tokens,
} from './support';

interface OrderList {
  items: { orderId: string; customerId: string; status: string; total: number; createdAt: string }[];
  nextCursor: string | null;
}

let pool: Pool;
let orders: OrdersRepository;
let server: RunningServer;

before(async () => {
  const url = requireEnv('ORDERS_DATABASE_URL');
  await migrate(url, fileURLToPath(new URL('../migrations', import.meta.url)), silentLogger);
  pool = createPool(url, { max: 4 });
  orders = createOrdersRepository(pool);
  server = await serve(authenticate(tokens), listOrdersRoute(orders));
});

after(async () => {
  await server.close();
  await pool.end();
});

const newCustomer = () => `list-${randomUUID()}`;

/** Stores an order for `customerId` created at exactly `createdAt` (microseconds kept). */
async function storeOrder(customerId: string, createdAt: string, status: OrderRecordStatus = 'PENDING') {
  // A queue no starter serves: these rows only exist to be listed.
  const { id } = await orders
    .insertOrGet(newOrder(customerId, 'list-orders-test'))
    .then(({ order }) => order);
  await pool.query('UPDATE orders SET created_at = $2::timestamptz, status = $3 WHERE id = $1', [
    id,
    createdAt,
    status,
  ]);
  return id;
}

/** The listing order: created_at then id, both descending (ISO strings of one length sort as times). */
const newestFirst = (rows: { id: string; createdAt: string }[]) =>
  [...rows]
    .sort((a, b) => {
      if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
      return a.id < b.id ? 1 : -1;
    })
    .map((r) => r.id);

async function list(token: string, query: Record<string, string>) {
  return call<OrderList & ProblemDetails>(
    `${server.url}/v1/orders?${new URLSearchParams(query).toString()}`,
    {
      headers: bearer(token),
    },
  );
}

async function allPages(token: string, query: Record<string, string>) {
  const pages: OrderList['items'][] = [];
  let cursor: string | null = null;
  do {
    const reply = await list(token, { ...query, ...(cursor ? { cursor } : {}) });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    pages.push(reply.body.items);
    cursor = reply.body.nextCursor;
  } while (cursor !== null && pages.length < 10);
  return pages;
}

test('pages of 2 over 5 orders return each order exactly once, newest first', async () => {
  const customer = newCustomer();
  // Microsecond steps and one exact tie: a millisecond cursor would skip or repeat rows here.
  const times = [
    '2030-01-01T00:00:00.000001Z',
    '2030-01-01T00:00:00.000002Z',
    '2030-01-01T00:00:00.000002Z',
    '2030-01-01T00:00:00.000900Z',
    '2030-01-01T00:00:00.001000Z',
  ];
  const stored = [];
  for (const createdAt of times) stored.push({ id: await storeOrder(customer, createdAt), createdAt });

  const pages = await allPages(await customerToken(customer), { limit: '2' });
  assert.deepEqual(
    pages.map((p) => p.length),
    [2, 2, 1],
  );
  assert.deepEqual(
    pages.flat().map((o) => o.orderId),
    newestFirst(stored),
  );
  for (const item of pages.flat()) {
    assert.equal(item.customerId, customer);
    assert.equal(item.total, 1299);
  }
});

test('the last page has a null cursor, also when it is exactly full', async () => {
  const customer = newCustomer();
  await storeOrder(customer, '2030-02-01T00:00:00Z');
  await storeOrder(customer, '2030-02-01T00:00:01Z');
  const pages = await allPages(await customerToken(customer), { limit: '2' });
  assert.deepEqual(
    pages.map((p) => p.length),
    [2],
  );
});

test('a customer sees only their own orders and may not ask for another customer’s', async () => {
  const mine = newCustomer();
  const theirs = newCustomer();
  const myOrder = await storeOrder(mine, '2030-03-01T00:00:00Z');
  await storeOrder(theirs, '2030-03-01T00:00:00Z');
  const token = await customerToken(mine);

  const own = await list(token, {});
  assert.deepEqual(
    own.body.items.map((o) => o.orderId),
    [myOrder],
  );
  assert.equal((await list(token, { customerId: mine })).status, 200);

  const other = await list(token, { customerId: theirs });
  assert.equal(other.status, 403);
  assert.equal(other.body.code, 'FORBIDDEN');
});

test('support filters by customer, status and creation time', async () => {
  const customer = newCustomer();
  const failed = await storeOrder(customer, '2030-04-01T10:00:00.000500Z', 'FAILED');
  const completed = await storeOrder(customer, '2030-04-01T11:00:00Z', 'COMPLETED');
  const lateFailed = await storeOrder(customer, '2030-04-01T12:00:00Z', 'FAILED');
  const token = await supportToken();
  const ids = async (query: Record<string, string>) => {
    const reply = await list(token, { customerId: customer, ...query });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.items.map((o) => o.orderId);
  };

  assert.deepEqual(await ids({}), [lateFailed, completed, failed]);
  assert.deepEqual(await ids({ status: 'FAILED' }), [lateFailed, failed]);
  assert.deepEqual(await ids({ status: 'CANCELLED' }), []);
  // `from` is inclusive, `to` exclusive
  assert.deepEqual(await ids({ from: '2030-04-01T11:00:00Z' }), [lateFailed, completed]);
  assert.deepEqual(await ids({ to: '2030-04-01T12:00:00Z' }), [completed, failed]);
  assert.deepEqual(await ids({ from: '2030-04-01T12:00:00+01:00', to: '2030-04-01T13:00:00+01:00' }), [
    completed,
  ]);
  assert.deepEqual(await ids({ status: 'FAILED', from: '2030-04-01T10:30:00Z' }), [lateFailed]);
});

test('support without a customer filter sees every customer’s orders', async () => {
  // A random minute of 2001 that no other test writes to, so the result is exactly these orders.
  const minute = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 525_000) * 60_000);
  const at = (seconds: number) => new Date(minute.getTime() + seconds * 1000).toISOString();
  const a = await storeOrder(newCustomer(), at(1), 'CANCELLED');
  const b = await storeOrder(newCustomer(), at(2), 'CANCELLED');
  const c = await storeOrder(newCustomer(), at(3), 'CANCELLED');
  const pages = await allPages(await supportToken(), {
    status: 'CANCELLED',
    from: at(0),
    to: at(60),
    limit: '2',
  });
  assert.deepEqual(
    pages.flat().map((o) => o.orderId),
    [c, b, a],
  );
});

test('a tampered or foreign cursor is a 400 naming the cursor', async () => {
  const token = await customerToken(newCustomer());
  const id = randomUUID();
  for (const cursor of [
    'not-a-cursor',
    // the base64url JSON cursors of earlier versions
    Buffer.from(JSON.stringify({ c: '2030-01-01T00:00:00Z', i: id })).toString('base64url'),
    `1700000000000000_${id.toUpperCase()}`,
    `17000000000000000_${id}`,
    `-1_${id}`,
    `1700000000000000_${id}' OR 1=1 --`,
    `_${id}`,
  ]) {
    const reply = await list(token, { cursor });
    assert.equal(reply.status, 400, cursor);
    assert.deepEqual(
      reply.body.errors?.map((e) => e.field),
      ['cursor'],
    );
  }
});

test('every cursor of the documented form is a position: accepted, even one the API never issued', async () => {
  const customerId = newCustomer();
  const token = await customerToken(customerId);
  const id = await storeOrder(customerId, '2030-01-01T00:00:00.000001Z');
  const cases: [string, string[]][] = [
    ['0_00000000-0000-0000-0000-000000000000', []],
    ['9999999999999999_ffffffff-ffff-ffff-ffff-ffffffffffff', [id]],
    // exactly the order's position: the page starts after it
    [`1893456000000001_${id}`, []],
    [`1893456000000002_${id}`, [id]],
  ];
  for (const [cursor, expected] of cases) {
    const reply = await list(token, { cursor });
    assert.equal(reply.status, 200, `${cursor}: ${JSON.stringify(reply.body)}`);
    assert.deepEqual(
      reply.body.items.map((o) => o.orderId),
      expected,
      cursor,
    );
  }
});

test('invalid query parameters are a 400 naming them', async () => {
  const token = await supportToken();
  for (const [query, field] of [
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ status: 'SHIPPED' }, 'status'],
    [{ from: 'last week' }, 'from'],
  ] as const) {
    const reply = await list(token, query);
    assert.equal(reply.status, 400);
    assert.ok(
      reply.body.errors?.some((e) => e.field === field),
      JSON.stringify(reply.body),
    );
  }
  const unknown = await list(token, { sort: 'asc' });
  assert.equal(unknown.status, 400);
});

test('listing needs a token', async () => {
  const reply = await call<ProblemDetails>(`${server.url}/v1/orders`);
  assert.equal(reply.status, 401);
  assert.equal(reply.body.code, 'UNAUTHENTICATED');
});
