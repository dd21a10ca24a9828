import express, { type Express } from 'express';
import {
  createMetrics,
  errorHandler,
  faultInjection,
  healthRouter,
  notFoundHandler,
  requestContext,
  requireJsonBody,
  type Logger,
  type Metrics,
  type Pool,
} from '@orders/platform';
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
  const metrics = deps.metrics ?? createMetrics('inventory');
  const app = express();
  app.disable('x-powered-by');

  app.use(requestContext());
  app.use(metrics.httpMetrics);
  app.use(healthRouter({ database: () => deps.pool.query('SELECT 1') }));
  app.get('/metrics', metrics.metricsHandler);
  app.use(requireJsonBody(), express.json({ limit: '100kb' }));
  if (deps.faultInjection) {
    const faults = faultInjection();
    app.use(faults.admin);
    app.use(faults.middleware);
  }
  app.use(productsRouter(deps.pool));
  app.use(reservationsRouter({ pool: deps.pool, reservationTtlSeconds: deps.reservationTtlSeconds }));
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
