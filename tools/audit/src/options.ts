// The audit's options: command-line flags over the environment, the environment over the stack's
// env file ($STACK_DIR/stack.env, as `npm run stack -- up` writes it). Validated with zod.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ORDER_EVENTS_TOPIC } from '@orders/platform/events';
import { REPO_ROOT } from '@orders/stack/repo-root';
import type { StripeSource } from './collect/stripe';

export interface AuditSources {
  ordersDb: string;
  inventoryDb: string;
  paymentsDb: string;
  kafkaBrokers: string[];
  mailpitUrl: string;
  stripe: StripeSource;
}

export interface AuditOptions {
  /** Orders created at/after this instant; null: every order. */
  since: Date | null;
  topic: string;
  customerPrefix: string | null;
  pendingRefundMinutes: number;
  /** On hand per SKU when the run began; null: only the internal stock checks. */
  stockBaseline: Record<string, number> | null;
  /** Orders still in flight are violations, not just listed. */
  requireTerminal: boolean;
  /** Poll until every order is terminal (and events and e-mails caught up), for at most this long. */
  waitTerminalSeconds: number | null;
  sources: AuditSources;
  /** Where progress lines go (the CLI: stderr); silent when absent. */
  progress?: (line: string) => void;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: npm run audit -- [--since <ISO time>] [--topic orders.events] [--customer-prefix <p>]
                      [--pending-refund-minutes 15] [--stock-baseline <file.json>] [--require-terminal]
                      [--wait-terminal <seconds>] [--json]
                      [--orders-db <url>] [--inventory-db <url>] [--payments-db <url>]
                      [--kafka-brokers <host:port,...>] [--mailpit-url <url>] [--stripe-url <url>]
  Checks that every accepted order is terminal, stock is conserved, money at Stripe matches the
  order and payment records, no PaymentIntent or refund happened twice, each order's events are
  gap-free and end with its status, each e-mailed event sent exactly one e-mail, and no refund is
  pending longer than the limit. Sources default to the environment, then to $STACK_DIR/stack.env
  (ORDERS_DATABASE_URL, INVENTORY_DATABASE_URL, PAYMENTS_DATABASE_URL, KAFKA_BROKERS, MAILPIT_URL,
  STRIPE_API_URL or STRIPE_EMULATOR_URL; STRIPE_SECRET_KEY, sk_test_local for a local URL).
  --stock-baseline is a JSON object { "SKU": on_hand_at_start }.
  Exit status: 0 no violation, 1 violations, 2 usage or source error.
`;

/** KEY=VALUE lines of the stack's env file, when there is one. */
export function stackEnvFile(env: NodeJS.ProcessEnv): Record<string, string> {
  const dir = env.STACK_DIR ? path.resolve(env.STACK_DIR) : path.join(REPO_ROOT, '.stack', 'dev');
  const file = path.join(dir, 'stack.env');
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1]) vars[match[1]] = (match[2] ?? '').trim();
  }
  return vars;
}

const baselineSchema = z.record(z.string().min(1), z.number().int().nonnegative());

function readBaseline(file: string): Record<string, number> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--stock-baseline ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(
      `--stock-baseline ${file}: expected { "SKU": on_hand, ... }: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

const isLocal = (url: string) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

export function resolveOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { options: AuditOptions; json: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        since: { type: 'string' },
        topic: { type: 'string', default: ORDER_EVENTS_TOPIC },
        'customer-prefix': { type: 'string' },
        'pending-refund-minutes': { type: 'string', default: '15' },
        'stock-baseline': { type: 'string' },
        'require-terminal': { type: 'boolean', default: false },
        'wait-terminal': { type: 'string' },
        json: { type: 'boolean', default: false },
        'orders-db': { type: 'string' },
        'inventory-db': { type: 'string' },
        'payments-db': { type: 'string' },
        'kafka-brokers': { type: 'string' },
        'mailpit-url': { type: 'string' },
        'stripe-url': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const fileEnv = stackEnvFile(env);
  const fromEnv = (name: string) => env[name] || fileEnv[name] || undefined;
  const required = (flag: string | undefined, name: string, what: string) => {
    const value = flag ?? fromEnv(name);
    if (!value)
      throw new UsageError(`${what}: set ${name} or pass the flag (no $STACK_DIR/stack.env found either)`);
    return value;
  };
  const number = (flag: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min)
      throw new UsageError(`--${flag} must be a number ≥ ${min}, not "${text}"`);
    return value;
  };
  let since: Date | null = null;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime()))
      throw new UsageError(`--since must be an ISO time, not "${values.since}"`);
  }

  const ordersDb = required(values['orders-db'], 'ORDERS_DATABASE_URL', 'the orders database');
  const inventoryDb = required(values['inventory-db'], 'INVENTORY_DATABASE_URL', 'the inventory database');
  const paymentsDb = required(values['payments-db'], 'PAYMENTS_DATABASE_URL', 'the payments database');
  const kafkaBrokers = required(values['kafka-brokers'], 'KAFKA_BROKERS', 'Kafka')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const mailpitUrl = required(values['mailpit-url'], 'MAILPIT_URL', 'the mail catcher');
  const stripeUrl =
    values['stripe-url'] ?? fromEnv('STRIPE_API_URL') ?? fromEnv('STRIPE_EMULATOR_URL') ?? null;
  const secretKey =
    fromEnv('STRIPE_SECRET_KEY') ?? (stripeUrl && isLocal(stripeUrl) ? 'sk_test_local' : undefined);
  if (!secretKey)
    throw new UsageError(
      `STRIPE_SECRET_KEY is required for ${stripeUrl ?? 'api.stripe.com'} (a restricted read key is enough)`,
    );

  const options: AuditOptions = {
    since,
    topic: values.topic,
    customerPrefix: values['customer-prefix'] ?? null,
    pendingRefundMinutes: number('pending-refund-minutes', values['pending-refund-minutes'], 0),
    stockBaseline: values['stock-baseline'] ? readBaseline(values['stock-baseline']) : null,
    requireTerminal: values['require-terminal'],
    waitTerminalSeconds: values['wait-terminal'] ? number('wait-terminal', values['wait-terminal'], 0) : null,
    sources: {
      ordersDb,
      inventoryDb,
      paymentsDb,
      kafkaBrokers,
      mailpitUrl,
      stripe: { apiUrl: stripeUrl, secretKey },
    },
  };
  return { options, json: values.json };
}
