import { z } from 'zod';
import {
  DEV_INTERNAL_API_TOKEN,
  baseConfigSchema,
  internalApiToken,
  loadConfig,
  postgresLink,
  milliseconds,
  port,
} from '@orders/platform';

// Only the literal strings 'true' and 'false' are accepted, so a typo fails at start-up.
const flag = (fallback: boolean) => z.stringbool({ truthy: ['true'], falsy: ['false'] }).default(fallback);

/*
 * Timeouts are ordered so that a retry never races its own first attempt (DESIGN.md "Unknown
 * is not final": callers' timeouts outlast their callees'):
 *
 *   one Stripe call                      ≤ STRIPE_TIMEOUT_MS            (10 s)
 *   one payment-service request          ≤ PAYMENT_REQUEST_DEADLINE_MS  (20 s): no Stripe call
 *                                          starts after it, and each call's timeout is capped
 *                                          by what is left of it
 *   the worker's HTTP call to this service                              (25 s, orchestrator)
 *   the activity's startToClose                                         (30 s, orchestrator)
 *
 * so when the worker gives up on a request, this service has already given up on Stripe, and
 * the retry (same idempotency key) finds either Stripe's answer or a key no longer in use.
 * STRIPE_TIMEOUT_MS < PAYMENT_REQUEST_DEADLINE_MS is checked at start; the orchestrator's two
 * figures are set there and must stay above PAYMENT_REQUEST_DEADLINE_MS.
 */
export const configSchema = baseConfigSchema
  .extend({
    PORT: port(3003),
    /** GET /metrics, on a port of its own (only the monitoring namespace may reach it). */
    METRICS_PORT: port(9103),
    PAYMENTS_DATABASE_URL: z.string({ error: 'required: the payments PostgreSQL connection string' }).min(1),
    /** Outside development it must be set: a dummy key against the real Stripe only fails late. */
    STRIPE_SECRET_KEY: z.string({ error: 'required: the Stripe secret key' }).min(1),
    /** A local Stripe API (the emulator or stripe-mock); unset means the real Stripe. */
    STRIPE_API_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
    STRIPE_TIMEOUT_MS: milliseconds(10_000).pipe(z.number().min(100)),
    PAYMENT_REQUEST_DEADLINE_MS: milliseconds(20_000).pipe(z.number().min(200)),
    /**
     * A pending refund reserved longer ago than this is looked up among the intent's refunds
     * at Stripe (by its key in their metadata) before it is sent again: Stripe forgets
     * idempotency keys after 24 hours, and a re-send after that would refund twice.
     */
    REFUND_LOOKUP_AFTER_MS: milliseconds(60 * 60 * 1000),
    FAULT_INJECTION: flag(false),
    /** Required on every route but the probes (the worker and the refunds CLI send it). */
    INTERNAL_API_TOKEN: internalApiToken,
  })
  .refine((c) => c.STRIPE_TIMEOUT_MS < c.PAYMENT_REQUEST_DEADLINE_MS, {
    message:
      'STRIPE_TIMEOUT_MS must be below PAYMENT_REQUEST_DEADLINE_MS (see the timeout rule in config.ts)',
    path: ['STRIPE_TIMEOUT_MS'],
  });

export type PaymentConfig = z.infer<typeof configSchema>;

export const loadPaymentConfig = (env: NodeJS.ProcessEnv = process.env): PaymentConfig =>
  loadConfig(
    configSchema,
    env,
    {
      values: { INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN, STRIPE_SECRET_KEY: 'sk_test_local' },
      secrets: ['INTERNAL_API_TOKEN', 'STRIPE_SECRET_KEY'],
    },
    (c) => [postgresLink(c.PAYMENTS_DATABASE_URL)],
  );
