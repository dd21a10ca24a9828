// The whole payment service, so main.ts and anything else that needs the real thing start the
// same parts: database (migrated), the Stripe gateway, HTTP, metrics.
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
    const pool = await openDatabase(parts, {
      url: config.PAYMENTS_DATABASE_URL,
      migrationsDir: MIGRATIONS_DIR,
      application: SERVICE_NAME,
      logger,
    });

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
    const urls = await serveHttp(parts, {
      app,
      metrics,
      port: config.PORT,
      metricsPort: config.METRICS_PORT,
      host: config.HOST,
    });
    logger.info(
      {
        stripe: config.STRIPE_API_URL ?? 'api.stripe.com',
        stripeTimeoutMs: config.STRIPE_TIMEOUT_MS,
        requestDeadlineMs: config.PAYMENT_REQUEST_DEADLINE_MS,
        faultInjection: config.FAULT_INJECTION,
      },
      'payment service started',
    );
    return { ...urls, app, pool };
  });
}
