// Thin HTTP clients the end-to-end tests use to act on and inspect each part of the system.
import type { TestSystem } from './system-under-test';

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await json<T>(res) };
}

export interface OrderView {
  orderId: string;
  status: string;
  statusReason: string | null;
  total: number;
  failure: { step: string; code: string; reason: string } | null;
  compensations: string[];
  saga: {
    status: string;
    stepsCompleted: string[];
    compensations: { name: string; status: string }[];
    amounts: { captured: number; refunded: number };
  } | null;
}

export function clients(t: TestSystem) {
  const { urls } = t.system;
  const emulator = process.env.STRIPE_EMULATOR_URL ?? '';
  const mailpit = process.env.MAILPIT_URL ?? '';
  return {
    orders: {
      place: (body: unknown, idempotencyKey?: string) =>
        call<{ orderId: string; status: string; statusUrl: string; total: number }>(
          'POST',
          `${urls.order}/v1/orders`,
          body,
          idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
        ),
      get: (orderId: string) => call<OrderView>('GET', `${urls.order}/v1/orders/${orderId}`),
    },
    inventory: {
      createProduct: (sku: string, product: { onHand: number; unitPrice: number; maxPerOrder?: number }) =>
        call('PUT', `${urls.inventory}/v1/products/${sku}`, {
          name: `Test ${sku}`,
          currency: 'eur',
          ...product,
        }),
      product: async (sku: string) =>
        (
          await call<{ onHand: number; reserved: number; available: number }>(
            'GET',
            `${urls.inventory}/v1/products/${sku}`,
          )
        ).body,
      reservation: (orderId: string) =>
        call<{ status: string }>('GET', `${urls.inventory}/v1/reservations/${orderId}`),
    },
    payments: {
      get: (orderId: string) =>
        call<{ status: string; amount: number; captured: number; refunded: number }>(
          'GET',
          `${urls.payment}/v1/payments/${orderId}`,
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
          )
        ).body.items,
    },
    mail: {
      to: async (address: string) => {
        const res = await fetch(`${mailpit}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`);
        return ((await res.json()) as { messages: { Subject: string }[] }).messages;
      },
    },
    faults: {
      inject: (service: 'order' | 'inventory' | 'payment', rule: Record<string, unknown>) =>
        call('POST', `${urls[service]}/_faults`, rule),
      clear: (service: 'order' | 'inventory' | 'payment') => call('DELETE', `${urls[service]}/_faults`),
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
