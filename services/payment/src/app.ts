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
import { PaymentsRepository } from './data-access/payments-repository';
import type { PaymentGateway } from './domain/gateway';
import { paymentsRouter } from './routes/payments';

export interface AppDeps {
  pool: Pool;
  gateway: PaymentGateway;
  logger: Logger;
  /** Mounts the /_faults admin routes and their middleware (tests and game days only). */
  faultInjection?: boolean;
  metrics?: Metrics;
}

export function buildApp(deps: AppDeps): Express {
  const metrics = deps.metrics ?? createMetrics('payment');
  const app = express();
  app.disable('x-powered-by');

  app.use(requestContext());
  app.use(metrics.httpMetrics);
  // Readiness checks the database only: a Stripe outage is answered per request with a 503,
  // and taking every replica out of rotation would not bring Stripe back.
  app.use(healthRouter({ database: () => deps.pool.query('SELECT 1') }));
  app.get('/metrics', metrics.metricsHandler);
  app.use(requireJsonBody(), express.json({ limit: '100kb' }));
  if (deps.faultInjection) {
    const faults = faultInjection();
    app.use(faults.admin);
    app.use(faults.middleware);
  }
  app.use(
    paymentsRouter({ repo: new PaymentsRepository(deps.pool), gateway: deps.gateway, logger: deps.logger }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
