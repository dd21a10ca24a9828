// The Stripe adapter: PaymentIntents with manual capture through the official SDK, and the
// translation of its errors into the domain's. The SDK does not retry (maxNetworkRetries 0;
// it still re-sends once on a closed connection, with the same idempotency key): Temporal
// owns retries, and every call carries the caller's idempotency key, so a retry of the whole
// activity is answered by Stripe's idempotency layer instead of charging twice.
import Stripe from 'stripe';
import { sdkEndpoint } from '@orders/platform';
import type { Deadline } from '../../domain/deadline';
import {
  AuthorizationRejected,
  ProviderStateConflict,
  deadlineExceeded,
  idempotencyKeyReused,
  providerBusy,
  providerRejected,
  providerUnavailable,
  rejectionFor,
} from '../../domain/errors';
import type { IntentSnapshot, PaymentGateway, RefundInput, RefundSnapshot } from '../../domain/gateway';
import type { AuthorizeInput } from '../../domain/payment';
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
  return new Stripe(options.secretKey, { ...config, ...(options.apiUrl && sdkEndpoint(options.apiUrl)) });
}

const snapshot = (intent: Stripe.PaymentIntent): IntentSnapshot => ({
  id: intent.id,
  status: intent.status,
  amount: intent.amount,
  amountCapturable: intent.amount_capturable,
  amountReceived: intent.amount_received,
});

const refundSnapshot = (refund: Stripe.Refund): RefundSnapshot => ({
  refundId: refund.id,
  amount: refund.amount,
  status: refund.status ?? 'succeeded',
});

type Operation = 'authorize' | 'capture' | 'cancel' | 'retrieve' | 'refund' | 'refund lookup';

/** Less time than this left in the request is as good as none: the call would only time out. */
const MIN_CALL_MS = 50;

export interface StripeGatewayOptions {
  /** Each call's timeout (STRIPE_TIMEOUT_MS), capped by what is left of the deadline. */
  timeoutMs: number;
  deadline?: Deadline;
}

export class StripeGateway implements PaymentGateway {
  constructor(
    private readonly stripe: Stripe,
    private readonly options: StripeGatewayOptions,
  ) {}

  within(deadline: Deadline): StripeGateway {
    return new StripeGateway(this.stripe, { ...this.options, deadline });
  }

  async authorize(input: AuthorizeInput, idempotencyKey: string): Promise<IntentSnapshot> {
    return this.call('authorize', idempotencyKey, async (options) =>
      snapshot(await this.stripe.paymentIntents.create(authorizeParams(input), options)),
    );
  }

  async capture(paymentIntentId: string, idempotencyKey: string): Promise<IntentSnapshot> {
    return this.call('capture', idempotencyKey, async (options) =>
      snapshot(await this.stripe.paymentIntents.capture(paymentIntentId, captureParams(), options)),
    );
  }

  async cancel(paymentIntentId: string, idempotencyKey: string): Promise<IntentSnapshot> {
    return this.call('cancel', idempotencyKey, async (options) =>
      snapshot(await this.stripe.paymentIntents.cancel(paymentIntentId, cancelParams(), options)),
    );
  }

  async retrieve(paymentIntentId: string): Promise<IntentSnapshot> {
    return this.call('retrieve', undefined, async (options) =>
      snapshot(await this.stripe.paymentIntents.retrieve(paymentIntentId, {}, options)),
    );
  }

  async refund(input: RefundInput, idempotencyKey: string): Promise<RefundSnapshot> {
    return this.call('refund', idempotencyKey, async (options) =>
      refundSnapshot(await this.stripe.refunds.create(refundParams(input), options)),
    );
  }

  async findRefund(paymentIntentId: string, refundKey: string): Promise<RefundSnapshot | undefined> {
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.call('refund lookup', undefined, (options) =>
        this.stripe.refunds.list(
          {
            payment_intent: paymentIntentId,
            limit: 100,
            ...(startingAfter ? { starting_after: startingAfter } : {}),
          },
          options,
        ),
      );
      const found = page.data.find((r) => r.metadata?.refundKey === refundKey);
      if (found) return refundSnapshot(found);
      const last = page.data.at(-1);
      if (!page.has_more || !last) return undefined;
      startingAfter = last.id;
    }
  }

  /** Runs one Stripe call within the request's deadline, its errors in the domain's words. */
  private async call<T>(
    operation: Operation,
    idempotencyKey: string | undefined,
    fn: (options: Stripe.RequestOptions) => Promise<T>,
  ): Promise<T> {
    const left = this.options.deadline?.remaining() ?? Number.POSITIVE_INFINITY;
    // Nothing is sent, so nothing can have happened: the caller retries the whole request.
    if (left < MIN_CALL_MS) throw deadlineExceeded(operation);
    const options: Stripe.RequestOptions = {
      timeout: Math.floor(Math.min(this.options.timeoutMs, left)),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    };
    try {
      return await fn(options);
    } catch (err) {
      throw toDomainError(err, operation, idempotencyKey);
    }
  }
}

/** Stripe's errors in the domain's words; anything that is not a Stripe error is a bug, rethrown. */
export function toDomainError(err: unknown, operation: Operation, key?: string): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  // Stripe's 409 for a key whose first request is still executing: its outcome is not known
  // yet. SDK versions raise it as a StripeAPIError or a StripeIdempotencyError; the code and
  // status say what it is, whatever the class.
  if (err.code === 'idempotency_key_in_use' || err.statusCode === 409)
    return providerBusy(operation, err.message);
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
  // The key was first used with other parameters: a conflict to fix, never a decline, and the
  // first request may well have taken effect, so nothing reserved for it may be released.
  if (err instanceof Stripe.errors.StripeIdempotencyError)
    return idempotencyKeyReused(key ?? '', `Stripe refused the ${operation}: ${err.message}`);
  if (err instanceof Stripe.errors.StripeInvalidRequestError) {
    // A 404 without a code is a URL Stripe does not serve (a wrong base URL or proxy route),
    // not a refusal of this request: retried and alerted like an outage.
    if (err.statusCode === 404 && !err.code) return providerUnavailable(operation, err.message);
    const code = err.code ?? 'invalid_request';
    if (code === 'payment_intent_unexpected_state') return new ProviderStateConflict(err.message, code);
    if (operation === 'authorize')
      return new AuthorizationRejected(rejectionFor(null, code), err.message, null, code);
    return providerRejected(operation, err.message, err.code);
  }
  // API errors (5xx), rate limits (429), timeouts, resets and refused connections, a key or
  // permission Stripe refuses (401/403): none is the order's fault and none says whether the
  // operation happened, so the caller retries with the same key (a bad key shows as a stuck
  // step to fix, never as a declined card).
  return providerUnavailable(operation, err.message);
}
