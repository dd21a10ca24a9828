import { baseConfigSchema, loadConfig, port } from '@orders/platform';
import { ORDER_EVENTS_TOPIC } from '@orders/platform/events';
import { z } from 'zod';
import { ORDERS_TASK_QUEUE } from './shared';

const schema = baseConfigSchema.extend({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default(ORDERS_TASK_QUEUE),
  ORDER_SERVICE_URL: z.url(),
  INVENTORY_SERVICE_URL: z.url(),
  PAYMENT_SERVICE_URL: z.url(),
  KAFKA_BROKERS: z.string().transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  ),
  ORDER_EVENTS_TOPIC: z.string().default(ORDER_EVENTS_TOPIC),
  /** Presented on the order service's /internal routes (same value as the order service's). */
  INTERNAL_API_TOKEN: z.string().min(16).default('local-internal-token-change-me'),
  SERVICE_CALL_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Port for /metrics, /healthz and /readyz of the worker process. */
  METRICS_PORT: port(9464),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
});

export type WorkerConfig = z.infer<typeof schema>;
export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  loadConfig(schema, env);
