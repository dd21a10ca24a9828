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

export const configSchema = baseConfigSchema.extend({
  PORT: port(3002),
  /** GET /metrics, on a port of its own (only the monitoring namespace may reach it). */
  METRICS_PORT: port(9102),
  INVENTORY_DATABASE_URL: z.string({ error: 'required: the inventory PostgreSQL connection string' }).min(1),
  RESERVATION_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  RESERVATION_SWEEP_INTERVAL_MS: milliseconds(5_000).pipe(z.number().min(100)),
  FAULT_INJECTION: flag(false),
  /** Inserts the demo catalogue on start: a development default only. */
  SEED_CATALOGUE: flag(false),
  /** Required on every route but the probes (the order service and the worker send it). */
  INTERNAL_API_TOKEN: internalApiToken,
});

export type InventoryConfig = z.infer<typeof configSchema>;

export const loadInventoryConfig = (env: NodeJS.ProcessEnv = process.env): InventoryConfig =>
  loadConfig(
    configSchema,
    env,
    {
      values: { INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN, SEED_CATALOGUE: 'true' },
      secrets: ['INTERNAL_API_TOKEN'],
    },
    (c) => [postgresLink(c.INVENTORY_DATABASE_URL)],
  );
