// One autoscaling run on the real stack, shared by the demo and its test: the order, inventory and
// payment services, the backlog exporter and the worker pool as real processes on a task queue of
// their own; the autoscaler on the exporter's metric; orders placed through the public API; then
// wait until every saga has finished, the backlog is gone and the pool is back at its minimum.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createKafka, type Logger } from '@orders/platform';
import { freePort } from '@orders/stack/free-port';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';
import { REPO_ROOT } from '@orders/stack/apps';
import { Autoscaler, type Sample } from './autoscaler';
import { scrapeBacklog } from './backlog-metric';
import { startNodeProcess, stopNodeProcess, waitReadyz, type NodeProcess } from '@orders/stack/child-process';
import { sleep } from '@orders/stack/processes';
import { HorizontalAutoscaler, type HpaSpec } from './hpa';
import { OrderLoad, type LoadCounts } from './order-load';
import { WorkerPool } from './worker-pool';

export interface ScenarioOptions {
  stackEnv: Record<string, string>;
  logDir: string;
  logger: Logger;
  hpa: HpaSpec;
  syncPeriodMs: number;
  orders: number;
  /** Placements per second; 0 for one burst. */
  ratePerSecond: number;
  /**
   * Each worker's task slots. Few activity slots make one worker a visibly bounded consumer, like
   * a pod with a CPU limit (on this 2-core machine more processes add slots, not CPU); the waiting
   * activity tasks are what the backlog counts. Workflow-task slots are better left at the
   * worker's default: a workflow's later tasks wait on its worker's sticky queue, which the
   * normal queue's backlog does not count.
   */
  workerSlots: { workflowTasks: number; activities: number };
  /** Bound on the whole run after the load, so a broken system fails instead of hanging. */
  timeoutMs: number;
  onSample?: (sample: Sample) => void;
}

export interface ScenarioResult {
  timeline: Sample[];
  counts: LoadCounts;
  taskQueue: string;
  /** Seconds from the loop's start until all sagas finished, and until the pool was back at min. */
  sagasFinishedAt: number;
  scaledDownAt: number;
}

const EXPORTER_ENTRY = path.join(REPO_ROOT, 'orchestrator/src/metrics/backlog-exporter.ts');

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { stackEnv, logDir, logger, hpa: spec } = options;
  const suffix = randomUUID().slice(0, 8);
  const taskQueue = `autoscale-${suffix}`;
  const eventsTopic = `orders.events.autoscale.${suffix}`;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    // The notification service, which would create the topics, is not started: create them here.
    const kafka = createKafka('autoscaler', (stackEnv.KAFKA_BROKERS ?? '').split(','), logger);
    const topics = [eventsTopic, `${eventsTopic}.dlq`];
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(async () => {
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    });
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });

    const system: RunningSystem = await startSystem(
      {
        stackEnv,
        logDir,
        ports: await freePorts(),
        taskQueue,
        eventsTopic,
        consumerGroup: `notification-autoscale-${suffix}`,
        logLevel: 'warn',
        extraEnv: {
          // Sagas close one second after completing, so the run can wait for their results.
          order: { REFUND_WINDOW_SECONDS: '1', PLACEMENT_RATE_LIMIT_PER_MINUTE: '1000000' },
          worker: {
            WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(options.workerSlots.workflowTasks),
            WORKER_MAX_CONCURRENT_ACTIVITIES: String(options.workerSlots.activities),
          },
        },
      },
      // The notification service only mails customers: not needed to drain the saga queue.
      ['inventory', 'payment', 'order'],
    );
    cleanups.push(() => system.stop());

    const exporterPort = await freePort();
    const exporter: NodeProcess = startNodeProcess({
      entry: EXPORTER_ENTRY,
      env: {
        ...stackEnv,
        TEMPORAL_TASK_QUEUE: taskQueue,
        METRICS_PORT: String(exporterPort),
        LOG_LEVEL: 'warn',
      },
      logFile: path.join(logDir, 'backlog-exporter.log'),
    });
    cleanups.push(() => stopNodeProcess(exporter));
    const exporterUrl = `http://127.0.0.1:${exporterPort}`;
    await waitReadyz(exporter, exporterUrl);

    const pool = new WorkerPool({ system: system.options, logDir, logger });
    cleanups.push(() => pool.stopAll());
    await pool.scaleTo(spec.minReplicas);
    await pool.waitReady(spec.minReplicas);

    const address = stackEnv.TEMPORAL_ADDRESS;
    if (!address) throw new Error('TEMPORAL_ADDRESS missing from the stack env');
    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());
    const load = new OrderLoad({
      orderUrl: system.urls.order,
      inventoryUrl: system.urls.inventory,
      internalApiToken: system.internalApiToken,
      temporal: new Client({ connection, namespace: stackEnv.TEMPORAL_NAMESPACE ?? 'default' }),
      logger,
      orders: options.orders,
      ratePerSecond: options.ratePerSecond,
    });

    const autoscaler = new Autoscaler({
      hpa: new HorizontalAutoscaler(spec),
      target: pool,
      readMetric: () => scrapeBacklog(`${exporterUrl}/metrics`, taskQueue),
      syncPeriodMs: options.syncPeriodMs,
      logger,
      extra: () => ({ ...load.counts }),
      ...(options.onSample ? { onSample: options.onSample } : {}),
    });
    const t0 = performance.now();
    const elapsed = () => Math.round((performance.now() - t0) / 100) / 10;
    autoscaler.start();
    cleanups.push(() => autoscaler.stop());

    await load.run();
    const deadline = Date.now() + options.timeoutMs;
    const bounded = async <T>(what: string, work: Promise<T>): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`gave up waiting: ${what}`)), deadline - Date.now());
      });
      return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    };
    await bounded('every saga to finish', load.sagasFinished());
    const sagasFinishedAt = elapsed();
    for (;;) {
      const last = autoscaler.timeline.at(-1);
      const settled = last?.backlog === 0 && last.desired === spec.minReplicas;
      if (settled && pool.replicas === spec.minReplicas) break;
      if (Date.now() > deadline) throw new Error('gave up waiting for the pool to return to its minimum');
      await sleep(250);
    }
    const scaledDownAt = elapsed();
    await autoscaler.stop();
    return { timeline: autoscaler.timeline, counts: load.counts, taskQueue, sagasFinishedAt, scaledDownAt };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => logger.warn({ err }, 'clean-up step failed'));
    }
  }
}
