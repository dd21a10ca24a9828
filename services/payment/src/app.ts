import type { Express } from 'express';
import { createMetrics, serviceApp, type Logger, type Metrics, type Pool } from '@orders/platform';
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
  // Readiness checks the database only: a Stripe outage is answered per request with a 503,
  // and taking every replica out of rotation would not bring Stripe back.
  const readiness = { database: () => deps.pool.query('SELECT 1') };
  const metrics = deps.metrics ?? createMetrics('payment');
  return serviceApp({ ...deps, metrics, readiness }, (app) => {
    app.use(
      paymentsRouter({ repo: new PaymentsRepository(deps.pool), gateway: deps.gateway, logger: deps.logger }),
    );
  });
}
