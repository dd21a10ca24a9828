import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from '@orders/platform';

/** Either the pool (one statement) or a client inside a transaction. */
export type Queryable = Pool | PoolClient;

export const migrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));
