// Composition root of the order service: config -> database -> Temporal -> saga starter -> app
// -> listen.
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import {
  createLogger,
  createMetrics,
  createPool,
  installSignalHandlers,
  migrate,
  onShutdown,
  startMetricsServer,
  startServer,
} from '@orders/platform';
import { buildApp } from './app';
import { loadOrderServiceConfig } from './config';
import { cachedCatalogue, httpCatalogue } from './domain/catalogue';
import { ordersRepository } from './data-access/orders-repository';
import { temporalOrderSagaGateway } from './domain/order-saga-gateway';
import { createSagaStarter } from './domain/saga-starter';
import { createTokenService } from './auth/tokens';
import { httpNotificationsClient } from './data-access/notifications-client';
import { orderCounts } from './data-access/order-counts';
import { temporalSagaHistory } from './domain/saga-history';
import { defaultConsoleDir } from './routes/console-app';

const config = loadOrderServiceConfig();
const logger = createLogger('order', config.LOG_LEVEL);

async function main(): Promise<void> {
  await migrate(config.ORDERS_DATABASE_URL, fileURLToPath(new URL('../migrations', import.meta.url)), logger);
  const pool = createPool(config.ORDERS_DATABASE_URL, { max: config.DB_POOL_SIZE, application: 'order' });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const orders = ordersRepository(pool);
  const metrics = createMetrics('order');
  const sagas = temporalOrderSagaGateway(connection, {
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    updateWaitMs: config.SUPPORT_REQUEST_WAIT_MS,
  });
  const sagaStarter = createSagaStarter(
    { orders, sagas, logger, registry: metrics.registry },
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      batchSize: config.SAGA_START_BATCH_SIZE,
      leaseMs: config.SAGA_START_LEASE_MS,
      sweepIntervalMs: config.SAGA_START_SWEEP_MS,
      refundWindowSeconds: config.REFUND_WINDOW_SECONDS,
    },
  );
  const app = buildApp({
    orders,
    pool,
    logger,
    metrics,
    catalogue: cachedCatalogue(httpCatalogue(config.INVENTORY_SERVICE_URL, config.INTERNAL_API_TOKEN), {
      ttlMs: config.CATALOGUE_CACHE_TTL_MS,
    }),
    sagas,
    sagaStarter,
    readiness: {
      database: () => pool.query('SELECT 1'),
      temporal: () => connection.workflowService.getSystemInfo({}),
    },
    tokens: createTokenService({
      secret: config.JWT_SECRET,
      maxLifetimeSeconds: config.JWT_MAX_LIFETIME_SECONDS,
    }),
    internalApiToken: config.INTERNAL_API_TOKEN,
    placementRateLimitPerMinute: config.PLACEMENT_RATE_LIMIT_PER_MINUTE,
    sagaQueryBudget: {
      perSecond: config.SAGA_QUERY_RATE_PER_SECOND,
      concurrent: config.SAGA_QUERY_CONCURRENCY,
    },
    publicBaseUrl: config.PUBLIC_BASE_URL,
    faultInjection: config.FAULT_INJECTION,
    console: {
      history: temporalSagaHistory(connection, { namespace: config.TEMPORAL_NAMESPACE }),
      notifications: httpNotificationsClient(config.NOTIFICATION_SERVICE_URL, config.INTERNAL_API_TOKEN),
      counts: orderCounts(pool),
      distDir: config.CONSOLE_DIST_DIR ?? defaultConsoleDir(),
      // Mints support tokens for anyone who asks: development and test only, never production.
      devSignIn: config.NODE_ENV !== 'production',
    },
  });
  sagaStarter.run();
  const server = await startServer(app, config.PORT, config.HOST);
  const metricsServer = await startMetricsServer(metrics, config.METRICS_PORT, config.HOST);

  onShutdown('database pool', () => pool.end());
  onShutdown('temporal connection', () => connection.close());
  // After the last request: an order it accepted is started now or by the next replica's sweep.
  onShutdown('saga starter', () => sagaStarter.stop());
  onShutdown('metrics server', () => metricsServer.close());
  onShutdown('http server', () => server.close());
  installSignalHandlers(logger);
  logger.info({ url: server.url, metrics: metricsServer.url }, 'order service listening');
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'order service failed to start');
  process.exit(1);
});
