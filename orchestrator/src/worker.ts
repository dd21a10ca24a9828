// The worker process: config -> Kafka producer -> activities over the services -> Temporal
// worker, with a small HTTP side for health and metrics. SIGTERM drains: the worker finishes
// in-flight tasks before the producer and connection close.
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { NativeConnection, Worker } from '@temporalio/worker';
import express from 'express';
import {
  createKafka,
  createLogger,
  createMetrics,
  healthRouter,
  installSignalHandlers,
  kafkaConnection,
  onShutdown,
  startServer,
  temporalConnectionOptions,
} from '@orders/platform';
import { startTelemetry } from '@orders/platform/telemetry';
import { createActivities } from './activities';
import { participantClients } from './activities/service-client';
import { loadWorkerConfig } from './config';
import { ensureSearchAttributes } from './search-attributes';
import { createOrderEventPublisher } from './events/order-event-publisher';
import { activityMetricsInterceptor } from './metrics/activity-metrics-interceptor';
import { createSagaMetrics } from './metrics/saga-metrics';
import { registerTaskQueueBacklog } from './metrics/task-queue-backlog';
import { stuckCompensationInterceptor } from './stuck-compensations';
import { installTemporalRuntime, workerTuning } from './temporal-runtime';

const config = loadWorkerConfig();
const logger = createLogger('orchestrator-worker', config.LOG_LEVEL);

installTemporalRuntime(logger, {
  prometheusAddress: config.SDK_METRICS_PORT > 0 ? `${config.HOST}:${config.SDK_METRICS_PORT}` : undefined,
});

async function main(): Promise<void> {
  // Already running when started with the instrument hook (npm start, the image); started here
  // otherwise, so activity spans exist even without the library instrumentations.
  await startTelemetry('orchestrator-worker');
  const kafka = createKafka('orchestrator', kafkaConnection(config), logger);
  const events = await createOrderEventPublisher(kafka, config.ORDER_EVENTS_TOPIC, (err, attempt) => {
    if (attempt === 1 || attempt % 10 === 0)
      logger.warn({ err, attempt }, 'Kafka not reachable yet; the worker runs, events wait for it');
  });
  const metrics = createMetrics('orchestrator-worker');
  const sagaMetrics = createSagaMetrics(metrics.registry);
  const onUnexpectedStatus = (service: string, status: number, method: string, path: string) => {
    sagaMetrics.unexpectedStatus(service, status);
    logger.warn(
      { service, status, method, path },
      'participant answered a 4xx without a business code; retrying',
    );
  };
  const activities = createActivities({
    orders: participantClients('order', config.ORDER_SERVICE_URL, {
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
      authToken: config.INTERNAL_API_TOKEN,
      onUnexpectedStatus,
    }),
    inventory: participantClients('inventory', config.INVENTORY_SERVICE_URL, {
      timeoutMs: config.SERVICE_CALL_TIMEOUT_MS,
      authToken: config.INTERNAL_API_TOKEN,
      onUnexpectedStatus,
    }),
    payment: participantClients('payment', config.PAYMENT_SERVICE_URL, {
      timeoutMs: config.PAYMENT_CALL_TIMEOUT_MS,
      authToken: config.INTERNAL_API_TOKEN,
      onUnexpectedStatus,
    }),
    events,
  });

  const temporal = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect(temporal);
  // DescribeTaskQueue goes through the client's workflow service; the worker's native connection has none.
  const clientConnection = await Connection.connect(temporal);
  await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE, logger);
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
    ...workerTuning(config),
    interceptors: {
      // The placement's trace context onto every activity, without spans in the sandbox (why:
      // telemetry/workflow-trace-propagation.ts).
      workflowModules: [fileURLToPath(new URL('./telemetry/workflow-trace-propagation.ts', import.meta.url))],
      activity: [
        // First, so the activity's own span is active around the metrics and stuck-undo logging.
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
        activityMetricsInterceptor(sagaMetrics),
        stuckCompensationInterceptor(logger),
      ],
    },
  });

  const app = express();
  // Not ready until Kafka answers: the worker still polls (other steps go on), but a rollout
  // should not count it as healthy while its events cannot leave.
  app.use(
    healthRouter({ worker: async () => assertRunning(worker.getState()), kafka: () => events.ready() }),
  );
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
