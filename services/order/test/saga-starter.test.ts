// The saga starter against the real PostgreSQL and Temporal server: stored orders get exactly one
// saga each, on their own task queue, even with two starters sharing the queue; a failed start
// stays queued and is retried; another deployment's orders are left alone. No worker polls these
// task queues, so the started workflows just wait and are terminated afterwards.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Connection } from '@temporalio/client';
import { Registry } from 'prom-client';
import { createPool, migrate, type Pool } from '@orders/platform';
import { ORDER_STATUS_SEARCH_ATTRIBUTE, orderWorkflowId } from '@orders/orchestrator/shared';
import { createOrdersRepository, type OrdersRepository } from '../src/data-access/orders-repository';
import { temporalOrderSagaGateway } from '../src/adapters/temporal-order-saga-gateway';
import type { OrderSagaGateway } from '../src/domain/order-saga-gateway';
import { createSagaStarter, type SagaStarter } from '../src/saga-starter';
import { newOrder, requireEnv, silentLogger } from './support';

let pool: Pool;
let orders: OrdersRepository;
let connection: Connection;
let client: Client;
const startedWorkflows: string[] = [];

before(async () => {
  const url = requireEnv('ORDERS_DATABASE_URL');
  await migrate(url, fileURLToPath(new URL('../migrations', import.meta.url)), silentLogger);
  pool = createPool(url, { max: 6 });
  orders = createOrdersRepository(pool);
  connection = await Connection.connect({ address: requireEnv('TEMPORAL_ADDRESS') });
  client = new Client({ connection });
});

after(async () => {
  await Promise.allSettled(
    startedWorkflows.map((id) => client.workflow.getHandle(id).terminate('saga-starter test cleanup')),
  );
  await connection.close();
  await pool.end();
});

async function storeOrders(taskQueue: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const order = newOrder(`starter-${randomUUID()}`, taskQueue);
    await orders.insertOrGet(order);
    const { id } = order;
    ids.push(id);
    startedWorkflows.push(orderWorkflowId(id));
  }
  return ids;
}

function starter(
  taskQueue: string,
  registry: Registry,
  options: { leaseMs?: number; gateway?: (real: OrderSagaGateway) => OrderSagaGateway } = {},
): SagaStarter {
  const real = temporalOrderSagaGateway(connection, { namespace: 'default', taskQueue });
  return createSagaStarter(
    { orders, sagas: options.gateway?.(real) ?? real, logger: silentLogger, registry },
    {
      taskQueue,
      batchSize: 4,
      leaseMs: options.leaseMs ?? 15_000,
      sweepIntervalMs: 50,
      refundWindowSeconds: 60,
    },
  );
}

async function notStarted(ids: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM orders WHERE id = ANY($1::uuid[]) AND saga_started_at IS NULL',
    [ids],
  );
  return rows.map((r) => r.id);
}

async function untilAllStarted(ids: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await notStarted(ids)).length > 0) {
    if (Date.now() > deadline) throw new Error(`not started: ${(await notStarted(ids)).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, unknown> }[];
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

test('two starters sharing a queue start every stored order once, on its task queue', async () => {
  const taskQueue = `starter-test-${randomUUID()}`;
  const elsewhere = await storeOrders(`other-deployment-${randomUUID()}`, 1);
  const ids = await storeOrders(taskQueue, 18);
  const registries = [new Registry(), new Registry()];

  const starters = registries.map((registry) => starter(taskQueue, registry));
  assert.equal(await metricValue(registries[0] ?? new Registry(), 'orders_saga_start_queue_length'), 18);
  starters.forEach((s) => s.run());
  await untilAllStarted(ids);
  await Promise.all(starters.map((s) => s.stop()));

  for (const id of ids) {
    const described = await client.workflow.getHandle(orderWorkflowId(id)).describe();
    assert.equal(described.type, 'orderSaga');
    assert.equal(described.taskQueue, taskQueue);
    // Set by the start (no worker serves this queue): the saga's first task need not upsert it.
    assert.equal(described.typedSearchAttributes.get(ORDER_STATUS_SEARCH_ATTRIBUTE), 'PENDING');
  }
  const started = await Promise.all(
    registries.map((r) => metricValue(r, 'orders_saga_starts_total', { result: 'started' })),
  );
  // Leases kept the two starters apart: 18 starts in all, none twice.
  assert.equal(
    started.reduce((a, b) => a + b, 0),
    18,
  );
  assert.deepEqual(await notStarted(elsewhere), elsewhere, "another deployment's order is left alone");
  assert.equal(await metricValue(registries[1] ?? new Registry(), 'orders_saga_start_queue_length'), 0);
});

test('a start that fails leaves the order queued; it is started when its lease runs out', async () => {
  const taskQueue = `starter-test-${randomUUID()}`;
  const ids = await storeOrders(taskQueue, 5);
  const refusedOnce = new Set<string>();
  const registry = new Registry();
  const flaky = starter(taskQueue, registry, {
    leaseMs: 300,
    // The real gateway, behind an outage that refuses each order's first start.
    gateway: (real) => ({
      ...real,
      async start(input) {
        if (!refusedOnce.has(input.orderId)) {
          refusedOnce.add(input.orderId);
          throw new Error('temporal unavailable (injected)');
        }
        await real.start(input);
      },
    }),
  });
  flaky.run();
  await untilAllStarted(ids);
  await flaky.stop();
  assert.equal(await metricValue(registry, 'orders_saga_starts_total', { result: 'failed' }), 5);
  assert.equal(await metricValue(registry, 'orders_saga_starts_total', { result: 'started' }), 5);
  for (const id of ids) await client.workflow.getHandle(orderWorkflowId(id)).describe();
});

test('startNow starts one order at once, and the queue does not start it again', async () => {
  const taskQueue = `starter-test-${randomUUID()}`;
  const [id] = await storeOrders(taskQueue, 1);
  const order = id ? await orders.findById(id) : undefined;
  assert.ok(order);
  const registry = new Registry();
  const direct = starter(taskQueue, registry);
  await direct.startNow(order);
  assert.deepEqual(await notStarted([order.id]), []);
  direct.run();
  direct.wake();
  await new Promise((resolve) => setTimeout(resolve, 200));
  await direct.stop();
  // The one start is startNow's.
  assert.equal(await metricValue(registry, 'orders_saga_starts_total', { result: 'started' }), 1);
  const described = await client.workflow.getHandle(orderWorkflowId(order.id)).describe();
  assert.equal(described.taskQueue, taskQueue);
});
