import type { Express } from 'express';
import { createMetrics, serviceApp, type Logger, type Metrics, type Pool } from '@orders/platform';
import { productsRouter } from './routes/products';
import { reservationsRouter } from './routes/reservations';

export interface AppDeps {
  pool: Pool;
  logger: Logger;
  /** INTERNAL_API_TOKEN: every route but the probes requires it (the order service and the worker send it). */
  internalApiToken: string;
  /** Default lifetime of a HELD reservation when the request names none. */
  reservationTtlSeconds: number;
  /** Mounts the /_faults admin routes and their middleware (tests and game days only). */
  faultInjection?: boolean;
  /** Served on the metrics port by the caller (startMetricsServer); made here when omitted. */
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
