import { z } from 'zod';
import { baseConfigSchema, loadConfig, milliseconds, port } from '@orders/platform';

// Only the literal strings 'true' and 'false' are accepted, so a typo fails at start-up.
const flag = (fallback: boolean) => z.stringbool({ truthy: ['true'], falsy: ['false'] }).default(fallback);

export const configSchema = baseConfigSchema.extend({
  PORT: port(3003),
  PAYMENTS_DATABASE_URL: z.string({ error: 'required: the payments PostgreSQL connection string' }).min(1),
  STRIPE_SECRET_KEY: z.string().min(1).default('sk_test_local'),
  /** A local Stripe API (the emulator or stripe-mock); unset means the real Stripe. */
  STRIPE_API_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  STRIPE_TIMEOUT_MS: milliseconds(10_000).pipe(z.number().min(100)),
  FAULT_INJECTION: flag(false),
});

export type Config = z.infer<typeof configSchema>;

export const loadPaymentConfig = (env: NodeJS.ProcessEnv = process.env): Config =>
  loadConfig(configSchema, env);
