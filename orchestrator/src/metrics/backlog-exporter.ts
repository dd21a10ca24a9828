// Standalone exporter of the orders task-queue backlog: serves /metrics, /healthz and /readyz. The
// worker Deployment's HPA scales on this metric, and scaling up from zero workers needs it to
// come from a process that is not a worker. Run: `node --import tsx src/metrics/backlog-exporter.ts`.
import { Connection } from '@temporalio/client';
import express from 'express';
import { Registry } from 'prom-client';
import {
  createLogger,
  healthRouter,
  installSignalHandlers,
  onShutdown,
  startServer,
  temporalConnectionOptions,
} from '@orders/platform';
import { loadBacklogExporterConfig } from '../config';
import { registerTaskQueueBacklog } from './task-queue-backlog';

const config = loadBacklogExporterConfig();
const logger = createLogger('orders-backlog-exporter', config.LOG_LEVEL);

async function main(): Promise<void> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  // A bare registry: the backlog is all this process is for; no process or HTTP metrics.
  const registry = new Registry();
  registerTaskQueueBacklog(registry, {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    timeoutMs: config.TASK_QUEUE_STATS_TIMEOUT_MS,
    logger,
  });

  const app = express();
  app.use(healthRouter({ temporal: () => connection.healthService.check({}) }));
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  const server = await startServer(app, config.METRICS_PORT, config.HOST);

  onShutdown('connection', () => connection.close());
  onShutdown('http server', () => server.close());
  installSignalHandlers(logger);
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, url: server.url },
    'backlog exporter started',
  );
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'backlog exporter failed');
  process.exit(1);
});
