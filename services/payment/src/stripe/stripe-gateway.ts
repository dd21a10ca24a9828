// The Stripe adapter: PaymentIntents with manual capture through the official SDK, and the
// translation of its errors into the domain's. The SDK never retries (maxNetworkRetries 0):
// Temporal owns retries, and every call carries the caller's idempotency key, so a retry of
// the whole activity is answered by Stripe's idempotency layer instead of charging twice.
import Stripe from 'stripe';
import {
  AuthorizationRejected,
  ProviderStateConflict,
  idempotencyKeyReused,
  providerRejected,
  providerUnavailable,
  rejectionFor,
} from '../domain/errors';
import type { IntentSnapshot, PaymentGateway, RefundInput } from '../domain/gateway';
import type { AuthorizeInput } from '../domain/payment';
import { authorizeParams, cancelParams, captureParams, refundParams } from './stripe-requests';

export interface StripeClientOptions {
  secretKey: string;
  /** e.g. `http://127.0.0.1:12113` for the emulator; unset means api.stripe.com. */
  apiUrl?: string | undefined;
  timeoutMs: number;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: 0,
    timeout: options.timeoutMs,
    telemetry: false,
    appInfo: { name: 'order-platform-payment' },
  };
  if (options.apiUrl) {
    const url = new URL(options.apiUrl);
    const protocol = url.protocol === 'https:' ? 'https' : 'http';
    config.host = url.hostname;
    config.port = url.port || (protocol === 'https' ? 443 : 80);
    config.protocol = protocol;
  }
  return new Stripe(options.secretKey, config);
}

const snapshot = (intent: Stripe.PaymentIntent): IntentSnapshot => ({
  id: intent.id,
  status: intent.status,
  amount: intent.amount,
  amountCapturable: intent.amount_capturable,
  amountReceived: intent.amount_received,
});

type Operation = 'authorize' | 'capture' | 'cancel' | 'retrieve' | 'refund';

export class StripeGateway implements PaymentGateway {
  constructor(private readonly stripe: Stripe) {}

  async authorize(input: AuthorizeInput, idempotencyKey: string): Promise<IntentSnapshot> {
    return this.call('authorize', idempotencyKey, async () =>
      snapshot(await this.stripe.paymentIntents.create(authorizeParams(input), { idempotencyKey })),
    );
  }

  async capture(paymentIntentId: string, idempotencyKey: string): Promise<IntentSnapshot> {
    return this.call('capture', idempotencyKey, async () =>
      snapshot(
        await this.stripe.paymentIntents.capture(paymentIntentId, captureParams(), { idempotencyKey }),
      ),
    );
  }

  async cancel(paymentIntentId: string, idempotencyKey: string): Promise<IntentSnapshot> {
    return this.call('cancel', idempotencyKey, async () =>
      snapshot(await this.stripe.paymentIntents.cancel(paymentIntentId, cancelParams(), { idempotencyKey })),
    );
  }

  async retrieve(paymentIntentId: string): Promise<IntentSnapshot> {
    return this.call('retrieve', undefined, async () =>
      snapshot(await this.stripe.paymentIntents.retrieve(paymentIntentId)),
    );
  }

  async refund(input: RefundInput, idempotencyKey: string): Promise<{ refundId: string; amount: number }> {
    return this.call('refund', idempotencyKey, async () => {
      const refund = await this.stripe.refunds.create(refundParams(input), { idempotencyKey });
      return { refundId: refund.id, amount: refund.amount };
    });
  }

  private async call<T>(operation: Operation, key: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toDomainError(err, operation, key);
    }
  }
}

/** Stripe's errors in the domain's words; anything that is not a Stripe error is a bug, rethrown. */
export function toDomainError(err: unknown, operation: Operation, key?: string): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  if (err instanceof Stripe.errors.StripeCardError) {
    const stripeCode = err.code ?? 'card_declined';
    return new AuthorizationRejected(
      'CARD_DECLINED',
      err.message,
      err.decline_code ?? stripeCode,
      stripeCode,
      err.payment_intent?.id ?? null,
    );
  }
  if (err instanceof Stripe.errors.StripeIdempotencyError)
    return idempotencyKeyReused(key ?? '', `Stripe refused the ${operation}: ${err.message}`);
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    const code = err.code ?? 'invalid_request';
    if (code === 'payment_intent_unexpected_state') return new ProviderStateConflict(err.message, code);
    if (operation === 'authorize')
      return new AuthorizationRejected(rejectionFor(null, code), err.message, null, code);
    return providerRejected(operation, err.message, err.code);
  }
  // API errors, timeouts and refused connections, rate limits, a key Stripe refuses: none is
  // the order's fault, so the caller retries (and a bad key shows as a stuck step to fix).
  return providerUnavailable(operation, err.message);
}
