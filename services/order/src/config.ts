import { baseConfigSchema, loadConfig, port } from '@orders/platform';
import { z } from 'zod';

const schema = baseConfigSchema.extend({
  PORT: port(3001),
  ORDERS_DATABASE_URL: z.string().min(1),
  INVENTORY_SERVICE_URL: z.url().default('http://127.0.0.1:3002'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('orders'),
  /** Public base URL used in Location headers and status links. */
  PUBLIC_BASE_URL: z.string().default(''),
  FAULT_INJECTION: z.stringbool().default(false),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
});

export type OrderServiceConfig = z.infer<typeof schema>;
export const loadOrderServiceConfig = (env: NodeJS.ProcessEnv = process.env): OrderServiceConfig =>
  loadConfig(schema, env);
