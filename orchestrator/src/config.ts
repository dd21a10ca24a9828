import {
  DEV_INTERNAL_API_TOKEN,
  baseConfigSchema,
  internalApiToken,
  kafkaConnectionSchema,
  kafkaLink,
  loadConfig,
  milliseconds,
  port,
  temporalConnectionSchema,
  temporalLink,
} from '@orders/platform';
import { ORDER_EVENTS_TOPIC } from '@orders/platform/events';
import { z } from 'zod';
import { ORDERS_TASK_QUEUE } from './shared';
import { workerTuningEnv } from './temporal-runtime';

const temporalSchema = baseConfigSchema.extend({
  ...temporalConnectionSchema.shape,
  TEMPORAL_TASK_QUEUE: z.string().default(ORDERS_TASK_QUEUE),
  /** Deadline of the DescribeTaskQueue call behind `orders_task_queue_backlog`, per scrape. */
  TASK_QUEUE_STATS_TIMEOUT_MS: milliseconds(2_000),
});

const schema = temporalSchema.extend({
  ORDER_SERVICE_URL: z.url(),
  INVENTORY_SERVICE_URL: z.url(),
  PAYMENT_SERVICE_URL: z.url(),
  ...kafkaConnectionSchema.shape,
  ORDER_EVENTS_TOPIC: z.string().default(ORDER_EVENTS_TOPIC),
  /** Presented to the order, inventory and payment services (the same value as theirs). */
  INTERNAL_API_TOKEN: internalApiToken,
  /**
   * Timeouts are ordered so a retry never races its own first attempt: each caller waits longer
   * than everything its callee may do. Inventory and order answer from their database
   * (SERVICE_CALL_TIMEOUT_MS). The payment service makes its Stripe calls (each at most
   * STRIPE_TIMEOUT_MS, 10 s) within PAYMENT_REQUEST_DEADLINE_MS (20 s), so the worker waits
   * PAYMENT_CALL_TIMEOUT_MS (25 s) for it, and the payment activities' startToClose (30 s, in
   * workflows/activity-proxies.ts) outlasts that wait.
   */
  SERVICE_CALL_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PAYMENT_CALL_TIMEOUT_MS: z.coerce.number().int().positive().max(29_000).default(25_000),
  /** Port for /metrics, /healthz and /readyz of the worker process. */
  METRICS_PORT: port(9464),
  /**
   * The Temporal SDK's own Prometheus exporter (Rust core: task slots, poll latency, schedule-to-start,
   * sticky cache...) on http://HOST:SDK_METRICS_PORT/metrics, separate from METRICS_PORT; 0 disables it.
   */
  SDK_METRICS_PORT: port(9465),
  ...workerTuningEnv,
});

export type WorkerConfig = z.infer<typeof schema>;
export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  loadConfig(
    schema,
    env,
    { values: { INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN }, secrets: ['INTERNAL_API_TOKEN'] },
    (c) => [temporalLink(c), kafkaLink(c)],
  );

/** The standalone backlog exporter: Temporal only, so the HPA metric exists with zero workers. */
const backlogExporterSchema = temporalSchema.extend({
  /** Port for /metrics and /healthz of the exporter (9466: beside the worker's 9464 and 9465). */
  METRICS_PORT: port(9466),
});

export type BacklogExporterConfig = z.infer<typeof backlogExporterSchema>;
export const loadBacklogExporterConfig = (env: NodeJS.ProcessEnv = process.env): BacklogExporterConfig =>
  loadConfig(backlogExporterSchema, env, { values: {} }, (c) => [temporalLink(c)]);
