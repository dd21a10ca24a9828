// Helpers shared by the order service tests: a tiny express app around the pieces under test
// (with the platform's request context and problem+json error handler), on a free port.
import express, { type RequestHandler, type Router } from 'express';
import {
  createLogger,
  errorHandler,
  requestContext,
  startServer,
  type RunningServer,
} from '@orders/platform';
import { randomUUID } from 'node:crypto';
import { createTokenService } from '../src/auth/tokens';
import type { NewOrder } from '../src/data-access/orders-repository';

export const TEST_SECRET = 'order-service-test-secret-0123456789abcdef';
export const tokens = createTokenService({ secret: TEST_SECRET });
export const silentLogger = createLogger('order-test', 'silent');

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the tests with the stack's env (set -a; . .stack/dev/stack.env)`,
    );
  return value;
}

/** Serves `handlers` in order, then the platform error handler. */
export async function serve(...handlers: (RequestHandler | Router)[]): Promise<RunningServer> {
  const app = express();
  app.use(requestContext(), express.json());
  for (const handler of handlers) app.use(handler);
  app.use(errorHandler(silentLogger));
  return startServer(app, 0);
}

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(url: string, init: RequestInit = {}): Promise<Reply<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ?? false;
  return { status: res.status, headers: res.headers, body: (json ? JSON.parse(text) : text) as T };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const customerToken = (sub: string, ttl?: string) =>
  tokens.sign({ sub, role: 'customer', email: `${sub}@example.test` }, ttl);

export const supportToken = (sub = 'agent-1') => tokens.sign({ sub, role: 'support' });

/** One mug for `customerId`, queued for `sagaTaskQueue` (a queue no starter serves, unless a test runs one). */
export const newOrder = (customerId: string, sagaTaskQueue: string): NewOrder => ({
  id: randomUUID(),
  customer: { id: customerId, email: `${customerId}@example.test` },
  items: [{ sku: 'MUG-LOGO', quantity: 1, unitPrice: 1299 }],
  currency: 'eur',
  total: 1299,
  paymentMethod: 'pm_card_visa',
  idempotencyKey: randomUUID(),
  requestHash: 'test',
  sagaTaskQueue,
});
