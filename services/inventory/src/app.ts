import type { Express } from 'express';
import { createMetrics, serviceApp, type Logger, type Metrics, type Pool } from '@orders/platform';
import { productsRouter } from './routes/products';
import { reservationsRouter } from './routes/reservations';

export interface AppDeps {
  pool: Pool;
  logger: Logger;
  /** Default lifetime of a HELD reservation when the request names none. */
  reservationTtlSeconds: number;
  /** Mounts the /_faults admin routes and their middleware (tests and game days only). */
  faultInjection?: boolean;
  metrics?: Metrics;
}

export function buildApp(deps: AppDeps): Express {
  const readiness = { database: () => deps.pool.query('SELECT 1') };
  const metrics = deps.metrics ?? createMetrics('inventory');
  return serviceApp({ ...deps, metrics, readiness }, (app) => {
    app.use(productsRouter(deps.pool));
    app.use(reservationsRouter({ pool: deps.pool, reservationTtlSeconds: deps.reservationTtlSeconds }));
  });
}
