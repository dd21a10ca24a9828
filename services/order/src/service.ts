// The whole order service, so main.ts and anything else that needs the real thing start the
// same parts: database (migrated), the Temporal connection, the saga starter, HTTP, metrics.
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import type { Express } from 'express';
import {
  composeService,
  createLogger,
  createMetrics,
  openDatabase,
  serveHttp,
  type Logger,
  type Pool,
  type RunningService,
  temporalConnectionOptions,
} from '@orders/platform';
import { buildApp } from './app';
import type { OrderServiceConfig } from './config';
import { cachedCatalogue, httpCatalogue } from './adapters/inventory-catalogue';
import { createOrdersRepository } from './data-access/orders-repository';
import { temporalOrderSagaGateway } from './adapters/temporal-order-saga-gateway';
import { createSagaStarter } from './saga-starter';
import { createTokenService } from './auth/tokens';
import { httpNotificationsClient } from './adapters/notifications-client';
import { orderCounts } from './data-access/order-counts';
import { temporalSagaHistory } from './adapters/temporal-saga-history';
import { defaultConsoleDir } from './routes/console-app';

export const SERVICE_NAME = 'order';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface OrderService extends RunningService {
  app: Express;
  pool: Pool;
}

export function startOrderService(
  config: OrderServiceConfig,
  options: { logger?: Logger } = {},
): Promise<OrderService> {
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  // Parts stop in reverse: the server stops taking requests first, then metrics, the saga
  // starter (after the last request: an order it accepted is started now or by the next
  // replica's sweep), the Temporal connection, the pool.
  return composeService(logger, async (parts) => {
    const pool = await openDatabase(parts, {
      url: config.ORDERS_DATABASE_URL,
      migrationsDir: MIGRATIONS_DIR,
      application: SERVICE_NAME,
      max: config.DB_POOL_SIZE,
      logger,
    });
    const connection = await Connection.connect(temporalConnectionOptions(config));
    parts.add('temporal connection', () => connection.close());
    const orders = createOrdersRepository(pool);
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
    parts.add('saga starter', () => sagaStarter.stop());
    const urls = await serveHttp(parts, {
      app,
      metrics,
      port: config.PORT,
      metricsPort: config.METRICS_PORT,
      host: config.HOST,
    });
    return { ...urls, app, pool };
  });
}
