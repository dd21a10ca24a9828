// The task-queue backlog the HPA scales on, against the real Temporal server: it rises while
// nobody polls a queue and falls back to zero once a worker drains it; the worker's activity
// metrics count what the drained sagas did. Then the activity interceptor's metrics case by case,
// through Temporal's mock activity environment (the interceptor chain without a server).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createLogger } from '@orders/platform';
import { activityMetricsInterceptor } from '../src/metrics/activity-metrics-interceptor';
import { createSagaMetrics } from '../src/metrics/saga-metrics';
import { readTaskQueueStats, registerTaskQueueBacklog } from '../src/metrics/task-queue-backlog';
import { ORDER_SAGA_WORKFLOW_TYPE, orderWorkflowId, type OrderSagaWorkflow } from '../src/shared';
import { fakeActivities } from './support/fake-activities';
import { sagaInput } from './support/saga-input';

/** The value of one sample (e.g. `x_total` or `x_seconds_count`) with exactly these labels' values. */
export async function metricValue(
  registry: Registry,
  sample: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const value of metric.values) {
      const name = 'metricName' in value && value.metricName ? value.metricName : metric.name;
      if (name !== sample) continue;
      const actual = value.labels as Record<string, string | number | undefined>;
      if (Object.entries(labels).every(([k, v]) => String(actual[k]) === v)) return value.value;
    }
  }
  return undefined;
}

/** Polls `read` until `done` holds or `timeoutMs` passes; returns the last value read. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const address = process.env.TEMPORAL_ADDRESS;
const namespace = 'default';
const logger = createLogger('metrics-test', 'silent');
let connection: Connection;
let workerConnection: NativeConnection;
let client: Client;

before(async () => {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: source .stack/dev/stack.env first');
  connection = await Connection.connect({ address });
  workerConnection = await NativeConnection.connect({ address });
  client = new Client({ connection, namespace });
});
after(async () => {
  await connection.close();
  await workerConnection.close();
});

const input = sagaInput;

test('the backlog rises while no worker polls the queue and falls to zero once one drains it', async () => {
  const taskQueue = `metrics-test-${randomUUID()}`;
  const registry = new Registry();
  registerTaskQueueBacklog(registry, { connection, namespace, taskQueue, logger });
  const backlog = async () => {
    const stats = await readTaskQueueStats(connection, { namespace, taskQueue, kind: 'workflow' });
    return stats.approximateBacklogCount;
  };

  const orders = Array.from({ length: 5 }, input);
  // Started by name, as the order service does: the client needs no workflow code.
  const handles = await Promise.all(
    orders.map((order) =>
      client.workflow.start<OrderSagaWorkflow>(ORDER_SAGA_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: orderWorkflowId(order.orderId),
        args: [order],
      }),
    ),
  );

  // Stats are approximate and lag the queue: wait (bounded) for them to show the waiting tasks.
  const risen = await waitFor(backlog, (n) => n >= 1, 30_000);
  assert.ok(risen >= 1, `backlog should rise with 5 waiting workflows, was ${risen}`);
  const scraped = await registry.metrics();
  assert.match(scraped, /orders_task_queue_backlog\{task_queue="[^"]+",type="workflow"\} [1-9]/);
  assert.match(scraped, /orders_task_queue_backlog\{task_queue="[^"]+",type="activity"\} \d/);
  assert.match(scraped, /orders_task_queue_tasks_add_rate\{/);

  const sagaRegistry = new Registry();
  const sagaMetrics = createSagaMetrics(sagaRegistry);
  const worker = await Worker.create({
    connection: workerConnection,
    namespace,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../src/workflows/index.ts', import.meta.url)),
    }),
    activities: fakeActivities().activities,
    interceptors: { activity: [activityMetricsInterceptor(sagaMetrics)] },
  });
  const drained = await worker.runUntil(async () => {
    const results = await Promise.all(handles.map((h) => h.result()));
    assert.deepEqual(
      results.map((r) => r.status),
      orders.map(() => 'COMPLETED'),
    );
    return waitFor(backlog, (n) => n === 0, 30_000);
  });
  assert.equal(drained, 0);
  assert.match(await registry.metrics(), /orders_task_queue_backlog\{task_queue="[^"]+",type="workflow"\} 0/);

  assert.equal(await metricValue(sagaRegistry, 'orders_saga_completed_total', { outcome: 'COMPLETED' }), 5);
  assert.equal(
    await metricValue(sagaRegistry, 'orders_saga_step_duration_seconds_count', {
      step: 'commit',
      outcome: 'ok',
    }),
    5,
  );
  assert.equal(
    await metricValue(sagaRegistry, 'orders_events_published_total', { type: 'OrderCompleted' }),
    5,
  );
});

test('a backlog read that fails serves the last value instead of failing the scrape', async () => {
  const taskQueue = `metrics-test-${randomUUID()}`;
  const registry = new Registry();
  const shortLived = await Connection.connect({ address });
  registerTaskQueueBacklog(registry, { connection: shortLived, namespace, taskQueue, logger });
  assert.match(await registry.metrics(), /orders_task_queue_backlog\{task_queue="[^"]+",type="workflow"\} 0/);
  await shortLived.close();
  // After the refresh window the next scrape asks again, fails, and still answers.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  assert.match(await registry.metrics(), /orders_task_queue_backlog\{task_queue="[^"]+",type="workflow"\} 0/);
});

/** Runs one activity attempt through the metrics interceptor, as the worker would. */
async function attempt(
  metrics: ReturnType<typeof createSagaMetrics>,
  info: { activityType: string; workflowId: string; attempt?: number },
  args: unknown[] = [],
  fail = false,
): Promise<void> {
  const env = new MockActivityEnvironment(
    {
      activityType: info.activityType,
      attempt: info.attempt ?? 1,
      workflowExecution: { workflowId: info.workflowId, runId: randomUUID() },
    },
    { interceptors: [activityMetricsInterceptor(metrics)] },
  );
  const run = env.run(
    async (..._args: unknown[]) => {
      if (fail) throw new Error('participant unavailable');
    },
    ...args,
  );
  if (fail) await assert.rejects(run, /participant unavailable/);
  else await run;
}

test('forward steps are timed by step and outcome; outcomes, refunds and events are counted', async () => {
  const registry = new Registry();
  const metrics = createSagaMetrics(registry);
  const workflowId = `order-${randomUUID()}`;
  await attempt(metrics, { activityType: 'reserveStock', workflowId });
  await attempt(metrics, { activityType: 'authorizePayment', workflowId }, [], true);
  await attempt(metrics, { activityType: 'authorizePayment', workflowId, attempt: 2 });
  await attempt(metrics, { activityType: 'recordOutcome', workflowId }, [
    'o',
    { status: 'COMPLETED', refunded: 0 },
  ]);
  // A redelivered success of the same completion, then a support refund recorded afterwards.
  await attempt(metrics, { activityType: 'recordOutcome', workflowId }, [
    'o',
    { status: 'COMPLETED', refunded: 0 },
  ]);
  await attempt(metrics, { activityType: 'recordOutcome', workflowId }, [
    'o',
    { status: 'COMPLETED', refunded: 500 },
  ]);
  await attempt(metrics, { activityType: 'recordOutcome', workflowId: `order-${randomUUID()}` }, [
    'o',
    { status: 'FAILED', refunded: 0 },
  ]);
  // A failed attempt records nothing: the outcome is counted once the order service has it.
  await attempt(
    metrics,
    { activityType: 'recordOutcome', workflowId: `order-${randomUUID()}` },
    ['o', { status: 'CANCELLED', refunded: 0 }],
    true,
  );
  await attempt(metrics, { activityType: 'publishEvent', workflowId }, [{ type: 'OrderPlaced' }]);
  await attempt(metrics, { activityType: 'publishEvent', workflowId }, [{ type: 'OrderPlaced' }], true);

  const value = (sample: string, labels: Record<string, string>) => metricValue(registry, sample, labels);
  assert.equal(await value('orders_saga_step_duration_seconds_count', { step: 'reserve', outcome: 'ok' }), 1);
  assert.equal(
    await value('orders_saga_step_duration_seconds_count', { step: 'authorize', outcome: 'error' }),
    1,
  );
  assert.equal(
    await value('orders_saga_step_duration_seconds_count', { step: 'authorize', outcome: 'ok' }),
    1,
  );
  assert.equal(await value('orders_saga_completed_total', { outcome: 'COMPLETED' }), 1);
  assert.equal(await value('orders_saga_completed_total', { outcome: 'FAILED' }), 1);
  assert.equal(await value('orders_saga_completed_total', { outcome: 'CANCELLED' }), undefined);
  assert.equal(await value('orders_refunds_total', {}), 1);
  assert.equal(await value('orders_events_published_total', { type: 'OrderPlaced' }), 1);
});

test('a compensation failing past the threshold is stuck until it succeeds or is no longer seen', async () => {
  const registry = new Registry();
  let now = Date.now();
  const metrics = createSagaMetrics(registry, () => now);
  const stuck = () => metricValue(registry, 'orders_compensations_stuck');
  const first = `order-${randomUUID()}`;
  const second = `order-${randomUUID()}`;

  await attempt(metrics, { activityType: 'voidPayment', workflowId: first, attempt: 1 }, [], true);
  assert.equal(await stuck(), 0, 'an early failure is an ordinary retry');
  await attempt(metrics, { activityType: 'voidPayment', workflowId: first, attempt: 5 }, [], true);
  await attempt(metrics, { activityType: 'voidPayment', workflowId: first, attempt: 6 }, [], true);
  await attempt(metrics, { activityType: 'releaseReservation', workflowId: first, attempt: 7 }, [], true);
  await attempt(metrics, { activityType: 'returnStock', workflowId: second, attempt: 9 }, [], true);
  assert.equal(await stuck(), 3, 'keyed by workflow and activity, not by attempt');

  await attempt(metrics, { activityType: 'voidPayment', workflowId: first, attempt: 7 });
  assert.equal(await stuck(), 2);
  // The other two retry elsewhere (another worker) and are not seen here again: they age out.
  now += 6 * 60_000;
  assert.equal(await stuck(), 0);

  const compensations = (name: string, outcome: string) =>
    metricValue(registry, 'orders_compensations_total', { compensation: name, outcome });
  assert.equal(await compensations('voidPayment', 'error'), 3);
  assert.equal(await compensations('voidPayment', 'ok'), 1);
  assert.equal(await compensations('returnStock', 'error'), 1);
  assert.equal(
    await metricValue(registry, 'orders_saga_step_duration_seconds_count', { step: 'commit', outcome: 'ok' }),
    undefined,
    'compensations are not steps',
  );
});
