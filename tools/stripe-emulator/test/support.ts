// Shared test wiring: an emulator on a free port and the official SDK pointed at it.
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator, type StartOptions } from '../src/emulator';

export { Stripe };

export interface TestEmulator {
  emulator: RunningEmulator;
  stripe: Stripe;
}

export async function startTestEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  return { emulator, stripe: sdkFor(emulator.url) };
}

export function sdkFor(url: string, apiKey = 'sk_test_x', options: Stripe.StripeConfig = {}): Stripe {
  const { hostname, port } = new URL(url);
  return new Stripe(apiKey, { host: hostname, port, protocol: 'http', maxNetworkRetries: 0, ...options });
}

export { eventually, uniqueOrderId } from '@orders/stack/testing';

/** The parameters the payment service sends to authorize: a confirmed manual-capture intent. */
export const authorizeParams = (orderId: string, paymentMethod = 'pm_card_visa', amount = 2599) =>
  ({
    amount,
    currency: 'eur',
    capture_method: 'manual',
    confirm: true,
    payment_method: paymentMethod,
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    metadata: { orderId },
  }) satisfies Stripe.PaymentIntentCreateParams;

/** Awaits a rejected SDK call and returns its error, checked to be a StripeError. */
export async function stripeError(call: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof Stripe.errors.StripeError, `expected a StripeError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the Stripe call to fail');
}

export interface AuditedIntent extends Stripe.PaymentIntent {
  amount_refunded: number;
  refunds: Stripe.Refund[];
  operations: { operation: string; outcome: string; idempotencyKey: string | null }[];
}

export async function auditOrder(emulatorUrl: string, orderId: string): Promise<AuditedIntent[]> {
  const res = await fetch(`${emulatorUrl}/_emulator/payment_intents?orderId=${encodeURIComponent(orderId)}`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { data: AuditedIntent[] }).data;
}

export async function addFault(emulatorUrl: string, rule: Record<string, unknown>): Promise<Response> {
  return fetch(`${emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
}

export interface FaultRuleState {
  id: number;
  hits: number;
  times: number;
  probability: number;
  operation?: string;
  orderId?: string;
}

export async function faultRules(emulatorUrl: string): Promise<FaultRuleState[]> {
  const res = await fetch(`${emulatorUrl}/_emulator/faults`);
  return ((await res.json()) as { data: FaultRuleState[] }).data;
}

/** Waits (bounded) until a rule has been hit, i.e. its request is inside the endpoint. */
export async function untilHit(emulatorUrl: string, id: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!((await faultRules(emulatorUrl)).find((r) => r.id === id)?.hits ?? 0)) {
    if (Date.now() > deadline) assert.fail(`fault rule ${id} was never hit`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
