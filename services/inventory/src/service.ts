// The whole inventory service, so main.ts and anything else that needs the real thing start the
// same parts: database (migrated, seeded), HTTP, metrics, the reservation expiry sweeper.
import { fileURLToPath } from 'node:url';
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
} from '@orders/platform';
import { buildApp } from './app';
import type { InventoryConfig } from './config';
import { seedCatalogue } from './data-access/seed-catalogue';
import { startExpirySweeper } from './expiry-sweeper';

export const SERVICE_NAME = 'inventory';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface InventoryService extends RunningService {
  app: Express;
  pool: Pool;
}

export function startInventoryService(
  config: InventoryConfig,
  options: { logger?: Logger } = {},
): Promise<InventoryService> {
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  // Parts stop in reverse: the server stops taking requests first, then metrics, the sweeper, the pool.
  return composeService(logger, async (parts) => {
    const pool = await openDatabase(parts, {
      url: config.INVENTORY_DATABASE_URL,
      migrationsDir: MIGRATIONS_DIR,
      application: SERVICE_NAME,
      logger,
    });
    if (config.SEED_CATALOGUE) {
      const inserted = await seedCatalogue(pool);
      if (inserted > 0) logger.info({ inserted }, 'catalogue seeded');
    }

    const sweeper = startExpirySweeper(pool, config.RESERVATION_SWEEP_INTERVAL_MS, logger);
    parts.add('reservation expiry', () => sweeper.stop());
    const metrics = createMetrics(SERVICE_NAME);
    const app = buildApp({
      pool,
      logger,
      metrics,
      internalApiToken: config.INTERNAL_API_TOKEN,
      reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
      faultInjection: config.FAULT_INJECTION,
    });
    const urls = await serveHttp(parts, {
      app,
      metrics,
      port: config.PORT,
      metricsPort: config.METRICS_PORT,
      host: config.HOST,
    });
    logger.info({ faultInjection: config.FAULT_INJECTION }, 'inventory service started');
    return { ...urls, app, pool };
  });
}
