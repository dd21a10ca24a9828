// Thin HTTP clients the end-to-end tests use to act on and inspect each part of the system.
import { randomUUID } from 'node:crypto';
import { DEV_JWT_SECRET, createTokenService } from '@orders/order/auth';
import type { TestSystem } from './system-under-test';
import { mailpitClient } from '@orders/stack/mailpit-client';

const tokens = createTokenService({ secret: DEV_JWT_SECRET });

/** A shopper with their own token, id and e-mail address (so mail can be found by recipient). */
export async function newCustomer() {
  const id = `cust-${randomUUID().slice(0, 8)}`;
  const email = `shopper+${randomUUID().slice(0, 12)}@example.test`;
  return { id, email, token: await tokens.sign({ sub: id, role: 'customer', email }) };
}

export const supportToken = () => tokens.sign({ sub: `agent-${randomUUID().slice(0, 6)}`, role: 'support' });
export const expiredToken = () =>
  tokens.sign({ sub: 'cust-expired', role: 'customer', email: 'x@example.test' }, '-1m');

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export async function call<T>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await json<T>(res) };
}

const bearer = (token: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export interface OrderView {
  orderId: string;
  status: string;
  statusReason: string | null;
  total: number;
  refunded: number;
  failure: { step: string; code: string; reason: string } | null;
  compensations: string[];
  saga: {
    status: string;
    currentStep: string | null;
    stepsCompleted: string[];
    compensations: { name: string; status: string }[];
    amounts: { captured: number; refunded: number };
    refunds: { refundId: string; amount: number; status: string }[];
  } | null;
}

export function clients(t: TestSystem) {
  const { urls } = t.system;
  // Every route of inventory, payment and notification, and /_faults, takes the internal token.
  const internal = bearer(t.system.internalApiToken);
  const emulator = process.env.STRIPE_EMULATOR_URL ?? '';
  const mailpit = process.env.MAILPIT_URL ?? '';
  return {
    orders: {
      place: (token: string, body: unknown, idempotencyKey?: string) =>
        call<{ orderId: string; status: string; statusUrl: string; total: number }>(
          'POST',
          `${urls.order}/v1/orders`,
          body,
          {
            ...bearer(token),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
        ),
      get: (token: string, orderId: string) =>
        call<OrderView>('GET', `${urls.order}/v1/orders/${orderId}`, undefined, bearer(token)),
      list: (token: string, query = '') =>
        call<{ items: { orderId: string; status: string; customerId: string }[]; nextCursor: string | null }>(
          'GET',
          `${urls.order}/v1/orders${query}`,
          undefined,
          bearer(token),
        ),
      cancel: (token: string, orderId: string, body: unknown = { reason: 'changed my mind' }) =>
        call<{ orderId: string; status: string; refunded: number; code?: string; detail?: string }>(
          'POST',
          `${urls.order}/v1/orders/${orderId}/cancel`,
          body,
          bearer(token),
        ),
      refund: (token: string, orderId: string, body: unknown, idempotencyKey: string = randomUUID()) =>
        call<{
          refundId: string;
          amount: number;
          totalRefunded: number;
          captured: number;
          code?: string;
          detail?: string;
        }>('POST', `${urls.order}/v1/orders/${orderId}/refunds`, body, {
          ...bearer(token),
          'idempotency-key': idempotencyKey,
        }),
    },
    inventory: {
      createProduct: (sku: string, product: { onHand: number; unitPrice: number; maxPerOrder?: number }) =>
        call(
          'PUT',
          `${urls.inventory}/v1/products/${sku}`,
          { name: `Test ${sku}`, currency: 'eur', ...product },
          internal,
        ),
      product: async (sku: string) =>
        (
          await call<{ onHand: number; reserved: number; available: number }>(
            'GET',
            `${urls.inventory}/v1/products/${sku}`,
            undefined,
            internal,
          )
        ).body,
      reservation: (orderId: string) =>
        call<{ status: string }>('GET', `${urls.inventory}/v1/reservations/${orderId}`, undefined, internal),
    },
    payments: {
      get: (orderId: string) =>
        call<{ status: string; amount: number; captured: number; refunded: number }>(
          'GET',
          `${urls.payment}/v1/payments/${orderId}`,
          undefined,
          internal,
        ),
    },
    stripe: {
      intents: async (orderId: string) =>
        (
          await call<{ data: StripeIntent[] }>(
            'GET',
            `${emulator}/_emulator/payment_intents?orderId=${encodeURIComponent(orderId)}`,
          )
        ).body.data,
      fault: (rule: Record<string, unknown>) => call('POST', `${emulator}/_emulator/faults`, rule),
    },
    notifications: {
      list: async (orderId: string) =>
        (
          await call<{ items: { eventId: string; type: string; status: string }[] }>(
            'GET',
            `${urls.notification}/v1/notifications?orderId=${orderId}`,
            undefined,
            internal,
          )
        ).body.items,
    },
    mail: mailpitClient(mailpit),
    faults: {
      inject: (service: 'order' | 'inventory' | 'payment', rule: Record<string, unknown>) =>
        call('POST', `${urls[service]}/_faults`, rule, internal),
      clear: (service: 'order' | 'inventory' | 'payment') =>
        call('DELETE', `${urls[service]}/_faults`, undefined, internal),
    },
  };
}

export interface StripeIntent {
  id: string;
  status: string;
  amount: number;
  amount_received: number;
  amount_capturable: number;
  amount_refunded: number;
  refunds: { amount: number }[];
  operations: { operation: string; outcome: string }[];
}
