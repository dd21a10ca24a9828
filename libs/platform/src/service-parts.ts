// The parts every service starts the same way, each registered with its stop as soon as it is
// up (see composeService): its database, migrated, and its HTTP and metrics servers.
import type { Express } from 'express';
import { createPool, migrate, type Pool } from './db';
import type { StartedParts } from './lifecycle';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { startMetricsServer } from './http/metrics-server';
import { startServer } from './http/server';

/** The service's pool, after its migrations ran (under node-pg-migrate's lock: replicas migrate once). */
export async function openDatabase(
  parts: StartedParts,
  options: { url: string; migrationsDir: string; application: string; max?: number; logger: Logger },
): Promise<Pool> {
  const pool = createPool(options.url, { application: options.application, max: options.max });
  parts.add('database pool', () => pool.end());
  await migrate(options.url, options.migrationsDir, options.logger);
  return pool;
}

/** Metrics first, then the API: parts stop in reverse, so requests stop before metrics do. */
export async function serveHttp(
  parts: StartedParts,
  options: { app: Express; metrics: Metrics; port: number; metricsPort: number; host: string },
): Promise<{ url: string; metricsUrl: string }> {
  const metricsServer = await startMetricsServer(options.metrics, options.metricsPort, options.host);
  parts.add('metrics server', () => metricsServer.close());
  const server = await startServer(options.app, options.port, options.host);
  parts.add('http server', () => server.close());
  return { url: server.url, metricsUrl: metricsServer.url };
}
