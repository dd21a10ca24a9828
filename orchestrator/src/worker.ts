// The worker process: config -> Kafka producer -> activities over the services -> Temporal
// worker, with a small HTTP side for health and metrics. SIGTERM drains: the worker finishes
// in-flight tasks before the producer and connection close.
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import express from 'express';
import {
  createKafka,
  createLogger,
  createMetrics,
  healthRouter,
  installSignalHandlers,
  onShutdown,
  startServer,
} from '@orders/platform';
import { createActivities } from './activities';
import { participantClients } from './activities/service-client';
import { loadWorkerConfig } from './config';
import { createOrderEventPublisher } from './events/order-event-publisher';
import { activityMetricsInterceptor } from './metrics/activity-metrics-interceptor';
import { createSagaMetrics } from './metrics/saga-metrics';
import { registerTaskQueueBacklog } from './metrics/task-queue-backlog';
import { stuckCompensationInterceptor } from './stuck-compensations';

const config = loadWorkerConfig();
const logger = createLogger('orchestrator-worker', config.LOG_LEVEL);

Runtime.install({
  logger: {
    log: (level, message, meta) =>
      logger[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](
        { ...meta },
        message,
      ),
    trace: (message, meta) => logger.trace({ ...meta }, message),
    debug: (message, meta) => logger.debug({ ...meta }, message),
    info: (message, meta) => logger.info({ ...meta }, message),
    warn: (message, meta) => logger.warn({ ...meta }, message),
    error: (message, meta) => logger.error({ ...meta }, message),
  },
  telemetryOptions: {
    logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
    // The SDK core serves its own worker metrics (temporal_* : task slots, poll and
    // schedule-to-start latency, sticky cache) at http://HOST:SDK_METRICS_PORT/metrics, a second
    // scrape target beside METRICS_PORT; the two cannot share one registry. Durations in seconds
    // to match our own histograms.
    ...(config.SDK_METRICS_PORT > 0 && {
      metrics: {
        prometheus: {
          bindAddress: `${config.HOST}:${config.SDK_METRICS_PORT}`,
          useSecondsForDurations: true,
        },
      },
    }),
  },
});

async function main(): Promise<void> {
  const kafka = createKafka('orchestrator', config.KAFKA_BROKERS, logger);
  const events = await createOrderEventPublisher(kafka, config.ORDER_EVENTS_TOPIC);
  const activities = createActivities({
    orders: participantClients('order', config.ORDER_SERVICE_URL, {
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
      authToken: config.INTERNAL_API_TOKEN,
    }),
    inventory: participantClients('inventory', config.INVENTORY_SERVICE_URL, {
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
    }),
    payment: participantClients('payment', config.PAYMENT_SERVICE_URL, {
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
    }),
    events,
  });

  const metrics = createMetrics('orchestrator-worker');
  const sagaMetrics = createSagaMetrics(metrics.registry);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // DescribeTaskQueue goes through the client's workflow service; the worker's native connection has none.
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  registerTaskQueueBacklog(metrics.registry, {
    connection: clientConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    timeoutMs: config.TASK_QUEUE_STATS_TIMEOUT_MS,
    logger,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./workflows/index.ts', import.meta.url)),
    activities,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    interceptors: {
      activity: [activityMetricsInterceptor(sagaMetrics), stuckCompensationInterceptor(logger)],
    },
    shutdownGraceTime: '20 seconds',
  });

  const app = express();
  app.use(healthRouter({ worker: async () => assertRunning(worker.getState()) }));
  app.get('/metrics', metrics.metricsHandler);
  const server = await startServer(app, config.METRICS_PORT, config.HOST);

  onShutdown('connection', () => connection.close());
  onShutdown('client connection', () => clientConnection.close());
  onShutdown('kafka producer', () => events.disconnect());
  onShutdown('health server', () => server.close());
  const running = worker.run();
  // shutdown() only asks; the connection and producer may close once run() has drained.
  onShutdown('worker', async () => {
    worker.shutdown();
    await running;
  });
  installSignalHandlers(logger);

  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, health: server.url },
    'worker started',
  );
  await running;
}

function assertRunning(state: string): void {
  if (state !== 'RUNNING') throw new Error(`worker is ${state}`);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
