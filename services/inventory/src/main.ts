// Composition root: config -> logger -> database -> app -> listen -> background expiry -> shutdown.
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
import { loadInventoryConfig } from './config';
import { migrationsDir } from './data-access/db';
import { seedCatalogue } from './data-access/seed-catalogue';
import { startExpirySweeper } from './domain/expiry';

const config = loadInventoryConfig();
const logger = createLogger('inventory', config.LOG_LEVEL);

const pool = createPool(config.INVENTORY_DATABASE_URL, { application: 'inventory' });
await migrate(config.INVENTORY_DATABASE_URL, migrationsDir, logger);
if (config.SEED_CATALOGUE) {
  const inserted = await seedCatalogue(pool);
  if (inserted > 0) logger.info({ inserted }, 'catalogue seeded');
}

const metrics = createMetrics('inventory');
const app = buildApp({
  pool,
  logger,
  metrics,
  internalApiToken: config.INTERNAL_API_TOKEN,
  reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
  faultInjection: config.FAULT_INJECTION,
});
const server = await startServer(app, config.PORT, config.HOST);
const metricsServer = await startMetricsServer(metrics, config.METRICS_PORT, config.HOST);
const sweeper = startExpirySweeper(pool, config.RESERVATION_SWEEP_INTERVAL_MS, logger);
logger.info(
  { url: server.url, metrics: metricsServer.url, faultInjection: config.FAULT_INJECTION },
  'inventory service listening',
);

// Hooks run in reverse: the server stops taking requests first, then metrics, the sweeper, the pool.
onShutdown('database pool', () => pool.end());
onShutdown('reservation expiry', () => sweeper.stop());
onShutdown('metrics server', () => metricsServer.close());
onShutdown('http server', () => server.close());
installSignalHandlers(logger);
