import {
  DEV_INTERNAL_API_TOKEN,
  baseConfigSchema,
  internalApiToken,
  loadConfig,
  port,
  postgresLink,
  temporalConnectionSchema,
  temporalLink,
} from '@orders/platform';
import { DEFAULT_REFUND_WINDOW_SECONDS } from '@orders/orchestrator/shared';
import { z } from 'zod';
import { DEV_JWT_SECRET } from './auth/tokens';

const schema = baseConfigSchema.extend({
  PORT: port(3001),
  /** GET /metrics, on a port of its own (only the monitoring namespace may reach it). */
  METRICS_PORT: port(9101),
  ORDERS_DATABASE_URL: z.string().min(1),
  INVENTORY_SERVICE_URL: z.url().default('http://127.0.0.1:3002'),
  /** Read for the e-mails of an order's timeline (support console). */
  NOTIFICATION_SERVICE_URL: z.url().default('http://127.0.0.1:3004'),
  /** The support console's built page; default: services/console/dist. */
  CONSOLE_DIST_DIR: z.string().optional(),
  ...temporalConnectionSchema.shape,
  TEMPORAL_TASK_QUEUE: z.string().default('orders'),
  /** Public base URL used in Location headers and status links. */
  PUBLIC_BASE_URL: z.string().default(''),
  FAULT_INJECTION: z.stringbool().default(false),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** HS256 key the bearer JWTs are signed with (at least 32 characters). */
  JWT_SECRET: z
    .string({ error: 'required: the key bearer tokens are signed with' })
    .min(32, 'must be at least 32 characters'),
  /** Bearer tokens living longer than this (exp - iat) are refused; tokens must carry exp and iat. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .max(7 * 86_400)
    .default(24 * 3600),
  /**
   * Required on every route but the probes, /v1 (JWT) and the API document: the orchestrator
   * presents it on /internal; this service presents it to the inventory service's catalogue.
   */
  INTERNAL_API_TOKEN: internalApiToken,
  /** How long a completed order accepts refunds and cancellation (default 30 days). */
  REFUND_WINDOW_SECONDS: z.coerce.number().int().positive().default(DEFAULT_REFUND_WINDOW_SECONDS),
  /**
   * How long a cancel or refund request waits for the saga to carry it out before answering
   * 202 (pending); the saga goes on with it either way.
   */
  SUPPORT_REQUEST_WAIT_MS: z.coerce.number().int().positive().max(60_000).default(15_000),
  PLACEMENT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /**
   * Order reads answer from the order record once a saga has settled; for sagas still moving
   * they query the workflow, at most this many times a second per process (then the record).
   */
  SAGA_QUERY_RATE_PER_SECOND: z.coerce.number().int().positive().default(20),
  /** Saga queries in flight per process, at most (past it reads answer from the record). */
  SAGA_QUERY_CONCURRENCY: z.coerce.number().int().positive().default(8),
  /** How long catalogue prices are reused at placement (0: ask the inventory service every time). */
  CATALOGUE_CACHE_TTL_MS: z.coerce.number().int().nonnegative().default(5_000),
  /** Sagas the starter starts concurrently (orders claimed per round). */
  SAGA_START_BATCH_SIZE: z.coerce.number().int().positive().default(20),
  /** How long a claimed order is held before a starter may retry it (a failed start waits this long). */
  SAGA_START_LEASE_MS: z.coerce.number().int().positive().default(15_000),
  /** How often the starter reads the queue unprompted (other replicas' orders, retries). */
  SAGA_START_SWEEP_MS: z.coerce.number().int().positive().default(1_000),
});

export type OrderServiceConfig = z.infer<typeof schema>;
export const loadOrderServiceConfig = (env: NodeJS.ProcessEnv = process.env): OrderServiceConfig =>
  loadConfig(
    schema,
    env,
    {
      values: { JWT_SECRET: DEV_JWT_SECRET, INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN },
      secrets: ['JWT_SECRET', 'INTERNAL_API_TOKEN'],
    },
    (c) => [temporalLink(c), postgresLink(c.ORDERS_DATABASE_URL)],
  );
