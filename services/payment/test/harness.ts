// The payment service in-process against the real payments database and a Stripe emulator
// started for the test file, called over HTTP like the orchestrator calls it.
import { randomUUID } from 'node:crypto';
import {
  createLogger,
  createPool,
  migrate,
  startServer,
  type Logger,
  type Pool,
  type RunningServer,
} from '@orders/platform';
import { startEmulator, type RunningEmulator } from '../../../tools/stripe-emulator/src/emulator';
import { buildApp } from '../src/app';
import { migrationsDir } from '../src/data-access/db';
import { StripeGateway, createStripeClient } from '../src/stripe/stripe-gateway';

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
  emulator: RunningEmulator;
  pool: Pool;
  post(path: string, body?: unknown, key?: string | null): Promise<Reply>;
  get(path: string): Promise<Reply>;
  authorize(orderId: string, overrides?: Record<string, unknown>, key?: string): Promise<Reply>;
  /** Every PaymentIntent the emulator holds for the order, with refunds and effects. */
  audit(orderId: string): Promise<Audit[]>;
  /** Counts the emulator's effects of one kind across the order's intents. */
  effects(orderId: string, operation: string): Promise<number>;
  fault(rule: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export const uniqueOrderId = () => `order-${randomUUID()}`;

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

export async function startPaymentService(
  options: { faultInjection?: boolean } = {},
): Promise<PaymentService> {
  const databaseUrl = process.env.PAYMENTS_DATABASE_URL;
  if (!databaseUrl)
    throw new Error('PAYMENTS_DATABASE_URL is not set: source the stack env (.stack/dev/stack.env)');
  const logger = createLogger('payment-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  await migrateWhenFree(databaseUrl, logger);
  const pool = createPool(databaseUrl, { application: 'payment-test' });
  const emulator = await startEmulator({ port: 0 });
  const gateway = new StripeGateway(
    createStripeClient({ secretKey: 'sk_test_payment_tests', apiUrl: emulator.url, timeoutMs: 5_000 }),
  );
  const server: RunningServer = await startServer(
    buildApp({ pool, gateway, logger, faultInjection: options.faultInjection ?? false }),
    0,
  );

  const call = async (method: string, path: string, body?: unknown, key?: string | null): Promise<Reply> => {
    const headers: Record<string, string> = {};
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

  return {
    url: server.url,
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
    },
    async close() {
      await server.close(1_000);
      await emulator.close();
      await pool.end();
    },
  };
}
