import type { Express } from 'express';
import { createMetrics, serviceApp, type Logger, type Metrics, type Pool } from '@orders/platform';
import { createPaymentsRepository } from './data-access/payments-repository';
import type { PaymentGateway } from './domain/gateway';
import { registerRefundMetrics } from './refund-metrics';
import { paymentsRouter } from './routes/payments';

export interface AppDeps {
  pool: Pool;
  gateway: PaymentGateway;
  logger: Logger;
  /** INTERNAL_API_TOKEN: every route but the probes requires it (the worker and the refunds CLI send it). */
  internalApiToken: string;
  /** PAYMENT_REQUEST_DEADLINE_MS: how long one request may keep calling Stripe. */
  requestDeadlineMs?: number;
  /** REFUND_LOOKUP_AFTER_MS: pending refunds older than this are looked up before a re-send. */
  refundLookupAfterMs?: number;
  /** Mounts the /_faults admin routes and their middleware (tests and game days only). */
  faultInjection?: boolean;
  /** Served on the metrics port by the caller (startMetricsServer); made here when omitted. */
  metrics?: Metrics;
}

export function buildApp(deps: AppDeps): Express {
  // Readiness checks the database only: a Stripe outage is answered per request with a 503,
  // and taking every replica out of rotation would not bring Stripe back.
  const readiness = { database: () => deps.pool.query('SELECT 1') };
  const metrics = deps.metrics ?? createMetrics('payment');
  const repo = createPaymentsRepository(deps.pool);
  registerRefundMetrics(metrics, repo, deps.logger);
  return serviceApp({ ...deps, metrics, readiness }, (app) => {
    app.use(
      paymentsRouter({
        repo,
        gateway: deps.gateway,
        logger: deps.logger,
        requestDeadlineMs: deps.requestDeadlineMs ?? 20_000,
        refundLookupAfterMs: deps.refundLookupAfterMs ?? 60 * 60 * 1000,
      }),
    );
  });
}
