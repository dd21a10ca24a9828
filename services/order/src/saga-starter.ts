// Starting the sagas of accepted orders, outside the request that placed them. `POST /v1/orders`
// stores the order and wakes this starter; the orders whose saga has not started are the queue
// (a transactional outbox in the orders table). So accepting an order costs one insert, not a
// round trip to a Temporal server that may be saturated by the very burst being accepted, and
// an order accepted while Temporal is slow or down is started when it can be, never lost.
//
// A starter claims a batch for a lease (SKIP LOCKED), starts each saga, marks the started ones;
// a failed start is retried when its lease runs out. Several replicas may run starters: they
// take different rows, and a double start after an expired lease attaches to the same workflow
// (its id is derived from the order id).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { OrderSagaInput } from '@orders/orchestrator/shared';
import { contextOfTraceparent, inSpan, type Logger } from '@orders/platform';
import type { OrdersRepository } from './data-access/orders-repository';
import type { Order } from './domain/order';
import type { OrderSagaGateway } from './domain/order-saga-gateway';

export interface SagaStarterOptions {
  /** The task queue this deployment's sagas run on: the starter takes only its own orders. */
  taskQueue: string;
  /** Orders claimed, and sagas started concurrently, per round. */
  batchSize: number;
  /** How long a claim holds an order before any starter may try it again. */
  leaseMs: number;
  /** How often the queue is read without a wake-up (other replicas' orders, failed starts). */
  sweepIntervalMs: number;
  /** How long the completed order stays open for refunds (the saga's refund window). */
  refundWindowSeconds: number;
}

export interface SagaStarter {
  /** Recorded on each accepted order (see SagaStarterOptions.taskQueue). */
  readonly taskQueue: string;
  /** An order was stored: look at the queue now instead of at the next sweep. */
  wake(): void;
  /** Starts one order's saga now (a support request on a just-placed order must not wait). */
  startNow(order: Order): Promise<void>;
  /** Runs until `stop()`. */
  run(): void;
  stop(): Promise<void>;
}

export interface SagaStarterDeps {
  orders: OrdersRepository;
  sagas: OrderSagaGateway;
  logger: Logger;
  registry: Registry;
}

export function sagaInputOf(order: Order, refundWindowSeconds: number): OrderSagaInput {
  return {
    orderId: order.id,
    customer: order.customer,
    items: order.items,
    currency: order.currency,
    total: order.total,
    paymentMethod: order.paymentMethod,
    placedAt: order.createdAt.toISOString(),
    refundWindowSeconds,
  };
}

export function createSagaStarter(deps: SagaStarterDeps, options: SagaStarterOptions): SagaStarter {
  const { orders, sagas, logger } = deps;
  const metrics = starterMetrics(deps.registry, () => orders.sagaStartBacklog(options.taskQueue));
  let stopped = true;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> = Promise.resolve();

  // In the trace of the request that accepted the order, so one order stays one trace.
  const start = (order: Order): Promise<void> =>
    inSpan(
      'order-saga-starter',
      'start saga',
      {
        parent: contextOfTraceparent(order.traceparent),
        attributes: { 'order.id': order.id, 'temporal.task_queue': options.taskQueue },
      },
      async () => {
        await sagas.start(sagaInputOf(order, options.refundWindowSeconds));
        metrics.delay.observe((Date.now() - order.createdAt.getTime()) / 1000);
      },
    );

  /** Starts a claimed batch; the ones that failed stay queued until their lease ends. */
  async function startBatch(batch: Order[]): Promise<void> {
    const results = await Promise.allSettled(batch.map(start));
    const started = batch.filter((_, i) => results[i]?.status === 'fulfilled').map((o) => o.id);
    await orders.markSagaStarted(started);
    metrics.starts.inc({ result: 'started' }, started.length);
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      metrics.starts.inc({ result: 'failed' });
      logger.warn(
        { err: result.reason, orderId: batch[i]?.id, retryInMs: options.leaseMs },
        'saga start failed; the order stays queued',
      );
    });
  }

  /** Waits for a wake-up, the sweep interval or stop, whichever comes first. */
  function idle(): Promise<void> {
    if (woken || stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, options.sweepIntervalMs);
      function finish() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = finish;
    });
  }

  async function runLoop(): Promise<void> {
    while (!stopped) {
      woken = false;
      try {
        const batch = await orders.claimSagaStarts(options.taskQueue, options.batchSize, options.leaseMs);
        if (batch.length > 0) {
          await startBatch(batch);
          continue;
        }
      } catch (err) {
        logger.error({ err }, 'saga starter: reading the queue failed; retrying at the next sweep');
      }
      await idle();
    }
  }

  return {
    taskQueue: options.taskQueue,
    wake() {
      woken = true;
      wakeUp?.();
    },
    async startNow(order) {
      await start(order);
      await orders.markSagaStarted([order.id]);
      metrics.starts.inc({ result: 'started' });
    },
    run() {
      if (!stopped) return;
      stopped = false;
      loop = runLoop();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}

function starterMetrics(
  registry: Registry,
  readQueue: () => Promise<{ pending: number; oldestAgeSeconds: number }>,
) {
  const starts = new Counter({
    name: 'orders_saga_starts_total',
    help: 'Saga starts for accepted orders, by result (a failed start is retried)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const delay = new Histogram({
    name: 'orders_saga_start_delay_seconds',
    help: 'From an order being accepted to its saga being started',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  // Read on scrape, so it counts every replica's queue, not only this process's.
  // A failed read reports NaN rather than failing the whole scrape.
  let backlog: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
  const readBacklog = () =>
    (backlog ??= readQueue()
      .catch(() => ({ pending: Number.NaN, oldestAgeSeconds: Number.NaN }))
      .finally(() => (backlog = undefined)));
  new Gauge({
    name: 'orders_saga_start_queue_length',
    help: 'Accepted orders whose saga has not started yet',
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).pending);
    },
  });
  new Gauge({
    name: 'orders_saga_start_queue_oldest_age_seconds',
    help: 'How long the oldest accepted order has waited for its saga to start',
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).oldestAgeSeconds);
    },
  });
  return { starts, delay };
}
