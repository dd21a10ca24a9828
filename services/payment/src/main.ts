// Composition root: config -> logger -> database -> Stripe -> app -> listen -> shutdown.
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
import { loadPaymentConfig } from './config';
import { migrationsDir } from './data-access/db';
import { StripeGateway, createStripeClient } from './stripe/stripe-gateway';

const config = loadPaymentConfig();
const logger = createLogger('payment', config.LOG_LEVEL);

const pool = createPool(config.PAYMENTS_DATABASE_URL, { application: 'payment' });
await migrate(config.PAYMENTS_DATABASE_URL, migrationsDir, logger);

const gateway = new StripeGateway(
  createStripeClient({
    secretKey: config.STRIPE_SECRET_KEY,
    apiUrl: config.STRIPE_API_URL,
    timeoutMs: config.STRIPE_TIMEOUT_MS,
  }),
  { timeoutMs: config.STRIPE_TIMEOUT_MS },
);
const metrics = createMetrics('payment');
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
const server = await startServer(app, config.PORT, config.HOST);
const metricsServer = await startMetricsServer(metrics, config.METRICS_PORT, config.HOST);
logger.info(
  {
    url: server.url,
    metrics: metricsServer.url,
    stripe: config.STRIPE_API_URL ?? 'api.stripe.com',
    stripeTimeoutMs: config.STRIPE_TIMEOUT_MS,
    requestDeadlineMs: config.PAYMENT_REQUEST_DEADLINE_MS,
    faultInjection: config.FAULT_INJECTION,
  },
  'payment service listening',
);

// Hooks run in reverse: the server stops taking requests first, then metrics, then the pool closes.
onShutdown('database pool', () => pool.end());
onShutdown('metrics server', () => metricsServer.close());
onShutdown('http server', () => server.close());
installSignalHandlers(logger);
