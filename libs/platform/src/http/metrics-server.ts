// /metrics on a port of its own: the NetworkPolicy can then open that port to the monitoring
// namespace without opening the API to it, and the API port needs no exception for scrapers.
import express, { type Express } from 'express';
import type { Metrics } from '../metrics';
import { notFoundHandler } from './middleware';
import { startServer, type RunningServer } from './server';

/** Serves GET /metrics and nothing else (404 problem+json). */
export function metricsApp(metrics: Metrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metrics.metricsHandler);
  app.use(notFoundHandler());
  return app;
}

export function startMetricsServer(metrics: Metrics, port: number, host?: string): Promise<RunningServer> {
  return startServer(metricsApp(metrics), port, host);
}
