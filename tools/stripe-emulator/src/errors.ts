// Errors in Stripe's wire shape: `{ error: { type, code, decline_code?, message, param?, ... } }`
// with the HTTP status Stripe uses, so the official SDK raises the same error classes it would
// raise against the real API (400/404 invalid request, 402 card, 401 auth, 5xx api error).
import type { PaymentIntent } from './types';

export type StripeErrorType =
  'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'authentication_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  doc_url?: string;
  payment_intent?: PaymentIntent;
  payment_method?: unknown;
  request_log_url?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /**
     * Whether the idempotency layer keeps this answer for replay. Stripe saves the result of
     * every request whose endpoint started executing; a request refused while its parameters
     * were being checked saves nothing, so a corrected retry with the same key runs.
     */
    readonly storable = true,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

/** A malformed or unknown parameter: checked before the endpoint runs, so never stored. */
export function parameterError(message: string, param: string, code?: string): StripeApiError {
  return new StripeApiError(
    400,
    { type: 'invalid_request_error', message, param, ...(code ? { code, doc_url: docUrl(code) } : {}) },
    false,
  );
}

export function resourceMissing(
  kind: string,
  id: string,
  param: string,
  status: 400 | 404 = 400,
): StripeApiError {
  return new StripeApiError(
    status,
    {
      type: 'invalid_request_error',
      code: 'resource_missing',
      doc_url: docUrl('resource_missing'),
      message: `No such ${kind}: '${id}'`,
      param,
    },
    false,
  );
}

/** A request that is valid but not allowed in the object's current state (stored for replay). */
export function invalidRequest(code: string, message: string, param?: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    code,
    doc_url: docUrl(code),
    message,
    ...(param ? { param } : {}),
  });
}

const pastTense = {
  capture: 'captured',
  confirm: 'confirmed',
  cancel: 'canceled',
  refund: 'refunded',
} as const;

export function unexpectedState(
  intent: PaymentIntent,
  action: keyof typeof pastTense,
  allowed: readonly string[],
): StripeApiError {
  const error = invalidRequest(
    'payment_intent_unexpected_state',
    `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. ` +
      `Only a PaymentIntent with one of the following statuses may be ${pastTense[action]}: ${allowed.join(', ')}.`,
  );
  error.body.payment_intent = structuredClone(intent);
  return error;
}

export function apiError(
  message = 'An unknown error occurred on our side (emulated fault).',
): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message }, false);
}

export function idempotencyError(message: string, status = 400, code?: string): StripeApiError {
  return new StripeApiError(status, { type: 'idempotency_error', message, ...(code ? { code } : {}) }, false);
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message }, false);
}

export function cardError(
  code: string,
  declineCode: string,
  message: string,
  extra: Partial<StripeErrorBody>,
): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code,
    decline_code: declineCode,
    doc_url: docUrl(code),
    message,
    ...extra,
  });
}

/**
 * Stripe's answer to too many requests: HTTP 429 with an invalid_request_error coded
 * `rate_limit` (the SDK raises StripeRateLimitError for any 429). Never saved for replay.
 */
export function rateLimitError(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      doc_url: docUrl('rate_limit'),
      message:
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    false,
  );
}

/** What Stripe answers while the first request with an idempotency key is still executing. */
export function keyInUseError(): StripeApiError {
  return idempotencyError(
    'There is currently another in-progress request using this Stripe API Key and idempotency key. Please try again later.',
    409,
    'idempotency_key_in_use',
  );
}

/** Thrown by an endpoint to drop the connection without an answer (an emulated network reset). */
export class ConnectionReset extends Error {
  constructor() {
    super('connection reset (emulated fault)');
    this.name = 'ConnectionReset';
  }
}
