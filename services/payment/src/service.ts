// The whole payment service, so main.ts and anything else that needs the real thing start the
// same parts: database (migrated), the Stripe gateway, HTTP, metrics.
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  composeService,
  createLogger,
  createMetrics,
  createPool,
  migrate,
  startMetricsServer,
  startServer,
  type Logger,
  type Pool,
  type RunningService,
} from '@orders/platform';
import { buildApp } from './app';
import type { PaymentConfig } from './config';
import { StripeGateway, createStripeClient } from './adapters/stripe/stripe-gateway';

export const SERVICE_NAME = 'payment';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface PaymentService extends RunningService {
  app: Express;
  pool: Pool;
}

export function startPaymentService(
  config: PaymentConfig,
  options: { logger?: Logger } = {},
): Promise<PaymentService> {
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  // Parts stop in reverse: the server stops taking requests first, then metrics, then the pool.
  return composeService(logger, async (parts) => {
    const pool = createPool(config.PAYMENTS_DATABASE_URL, { application: SERVICE_NAME });
    parts.add('database pool', () => pool.end());
    await migrate(config.PAYMENTS_DATABASE_URL, MIGRATIONS_DIR, logger);

    const gateway = new StripeGateway(
      createStripeClient({
        secretKey: config.STRIPE_SECRET_KEY,
        apiUrl: config.STRIPE_API_URL,
        timeoutMs: config.STRIPE_TIMEOUT_MS,
      }),
      { timeoutMs: config.STRIPE_TIMEOUT_MS },
    );
    const metrics = createMetrics(SERVICE_NAME);
    const app = buildApp({
      pool,
      gateway,
      logger,
      metrics,
      internalApiToken: config.INTERNAL_API_TOKEN,
      requestDeadlineMs: config.PAYMENT_REQUEST_DEADLINE_MS,
      refundLookupAfterMs: config.REFUND_LOOKUP_AFTER_MS,
      faultInjection: config.FAULT_INJECTION,
    });
    const metricsServer = await startMetricsServer(metrics, config.METRICS_PORT, config.HOST);
    parts.add('metrics server', () => metricsServer.close());
    const server = await startServer(app, config.PORT, config.HOST);
    parts.add('http server', () => server.close());
    logger.info(
      {
        stripe: config.STRIPE_API_URL ?? 'api.stripe.com',
        stripeTimeoutMs: config.STRIPE_TIMEOUT_MS,
        requestDeadlineMs: config.PAYMENT_REQUEST_DEADLINE_MS,
        faultInjection: config.FAULT_INJECTION,
      },
      'payment service started',
    );
    return { url: server.url, metricsUrl: metricsServer.url, app, pool };
  });
}
