// The payment service in-process against the real payments database and a Stripe emulator
// started for the test file, called over HTTP like the orchestrator calls it.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import {
  createLogger,
  createMetrics,
  createPool,
  internalAuthorization,
  migrate,
  startMetricsServer,
  startServer,
  type Logger,
  type Pool,
  type RunningServer,
} from '@orders/platform';
import { startEmulator, type RunningEmulator } from '../../../tools/stripe-emulator/src/emulator';
import { buildApp } from '../src/app';
import { MIGRATIONS_DIR as migrationsDir } from '../src/service';
import { StripeGateway, createStripeClient } from '../src/adapters/stripe/stripe-gateway';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
}

export interface Audit {
  id: string;
  status: string;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  refunds: { id: string; amount: number; metadata: Record<string, string> }[];
  operations: { operation: string; outcome: string }[];
}

export interface PaymentService {
  url: string;
  /** GET /metrics lives here, not on `url`. */
  metricsUrl: string;
  /** The app behind `url` (tests enumerate its routes). */
  app: Express;
  /** The token this instance requires; `post` and `get` send it. */
  internalApiToken: string;
  /** Stripe's timeout per call in this service (STRIPE_TIMEOUT_MS). */
  stripeTimeoutMs: number;
  emulator: RunningEmulator;
  pool: Pool;
  post(path: string, body?: unknown, key?: string | null): Promise<Reply>;
  get(path: string): Promise<Reply>;
  authorize(orderId: string, overrides?: Record<string, unknown>, key?: string): Promise<Reply>;
  /** Every PaymentIntent the emulator holds for the order, with refunds and effects. */
  audit(orderId: string): Promise<Audit[]>;
  /** Counts the emulator's effects of one kind across the order's intents. */
  effects(orderId: string, operation: string): Promise<number>;
  /** Registers an emulator fault rule and returns its id. */
  fault(rule: Record<string, unknown>): Promise<number>;
  /** Waits (bounded) until the rule has been hit: its request is inside the emulator. */
  untilHit(ruleId: number): Promise<void>;
  /** Money at Stripe (the emulator) and in the payments table, side by side. */
  money(orderId: string): Promise<Money>;
  close(): Promise<void>;
}

export interface Money {
  stripe: { captured: number; refunded: number; intents: number };
  table: { captured: number; refunded: number; status: string | null; pendingRefunds: number };
}

export interface ServiceOptions {
  faultInjection?: boolean;
  /** STRIPE_TIMEOUT_MS; default 5000. */
  stripeTimeoutMs?: number;
  /** PAYMENT_REQUEST_DEADLINE_MS; default 20000. */
  requestDeadlineMs?: number;
  /** REFUND_LOOKUP_AFTER_MS; default 1 h. */
  refundLookupAfterMs?: number;
}

import { eventually } from '@orders/stack/testing';

export { eventually, uniqueOrderId } from '@orders/stack/testing';

/** Retries the request while it answers 503 (BUSY), as the saga's activities retry until answered. */
export async function untilAnswered(call: () => Promise<Reply>): Promise<Reply> {
  let reply = await call();
  await eventually('an answer other than 503', async () => {
    if (reply.status !== 503) return true;
    reply = await call();
    return reply.status !== 503 || undefined;
  });
  return reply;
}

/**
 * Test files start in parallel, and the platform's migrate fails (rather than waits) while
 * another process holds node-pg-migrate's advisory lock: wait for it and try again.
 */
async function migrateWhenFree(databaseUrl: string, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(databaseUrl, migrationsDir, logger);
      return;
    } catch (err) {
      const locked = err instanceof Error && err.message.includes('Another migration is already running');
      if (!locked || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function startPaymentService(options: ServiceOptions = {}): Promise<PaymentService> {
  const databaseUrl = process.env.PAYMENTS_DATABASE_URL;
  if (!databaseUrl)
    throw new Error('PAYMENTS_DATABASE_URL is not set: source the stack env (.stack/dev/stack.env)');
  const logger = createLogger('payment-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  await migrateWhenFree(databaseUrl, logger);
  const pool = createPool(databaseUrl, { application: 'payment-test' });
  const emulator = await startEmulator({ port: 0 });
  const stripeTimeoutMs = options.stripeTimeoutMs ?? 5_000;
  const gateway = new StripeGateway(
    createStripeClient({
      secretKey: 'sk_test_payment_tests',
      apiUrl: emulator.url,
      timeoutMs: stripeTimeoutMs,
    }),
    { timeoutMs: stripeTimeoutMs },
  );
  // A token of this run's own: nothing may work only because of the development default.
  const internalApiToken = `payment-test-${randomUUID()}`;
  const metrics = createMetrics('payment');
  const app = buildApp({
    pool,
    gateway,
    logger,
    metrics,
    internalApiToken,
    faultInjection: options.faultInjection ?? false,
    requestDeadlineMs: options.requestDeadlineMs ?? 20_000,
    refundLookupAfterMs: options.refundLookupAfterMs ?? 60 * 60 * 1000,
  });
  const server: RunningServer = await startServer(app, 0);
  const metricsServer = await startMetricsServer(metrics, 0);

  const call = async (method: string, path: string, body?: unknown, key?: string | null): Promise<Reply> => {
    const headers: Record<string, string> = internalAuthorization(internalApiToken);
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };

  const audit = async (orderId: string): Promise<Audit[]> => {
    const res = await fetch(
      `${emulator.url}/_emulator/payment_intents?orderId=${encodeURIComponent(orderId)}`,
    );
    return ((await res.json()) as { data: Audit[] }).data;
  };

  const rules = async () => {
    const res = await fetch(`${emulator.url}/_emulator/faults`);
    return ((await res.json()) as { data: { id: number; hits: number }[] }).data;
  };

  return {
    url: server.url,
    metricsUrl: metricsServer.url,
    app,
    internalApiToken,
    stripeTimeoutMs,
    emulator,
    pool,
    post: (path, body, key) => call('POST', path, body, key === undefined ? `key-${randomUUID()}` : key),
    get: (path) => call('GET', path),
    authorize: (orderId, overrides = {}, key = `${orderId}:authorize`) =>
      call(
        'POST',
        '/v1/payments/authorize',
        {
          orderId,
          customerId: 'customer-1',
          amount: 5000,
          currency: 'eur',
          paymentMethod: 'pm_card_visa',
          ...overrides,
        },
        key,
      ),
    audit,
    async effects(orderId, operation) {
      const intents = await audit(orderId);
      return intents.flatMap((i) => i.operations).filter((o) => o.operation === operation).length;
    },
    async fault(rule) {
      const res = await fetch(`${emulator.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
      if (res.status !== 201) throw new Error(`fault rule refused: ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    },
    untilHit: async (ruleId) => {
      await eventually(`a hit of fault rule ${ruleId}`, async () =>
        ((await rules()).find((r) => r.id === ruleId)?.hits ?? 0) > 0 ? true : undefined,
      );
    },
    async money(orderId) {
      const intents = await audit(orderId);
      const { rows } = await pool.query<{
        captured: string;
        refunded: string;
        status: string;
        pending: string;
      }>(
        `SELECT p.captured, p.refunded, p.status,
                (SELECT count(*) FROM refunds r WHERE r.order_id = p.order_id AND r.refund_id IS NULL) AS pending
         FROM payments p WHERE p.order_id = $1`,
        [orderId],
      );
      const row = rows[0];
      return {
        stripe: {
          captured: intents.reduce((sum, i) => sum + i.amount_received, 0),
          refunded: intents.reduce((sum, i) => sum + i.amount_refunded, 0),
          intents: intents.length,
        },
        table: {
          captured: Number(row?.captured ?? 0),
          refunded: Number(row?.refunded ?? 0),
          status: row?.status ?? null,
          pendingRefunds: Number(row?.pending ?? 0),
        },
      };
    },
    async close() {
      await server.close(1_000);
      await metricsServer.close(1_000);
      await emulator.close();
      await pool.end();
    },
  };
}
