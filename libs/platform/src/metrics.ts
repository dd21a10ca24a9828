// Prometheus metrics: process defaults plus HTTP rate, errors and latency per route.
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpMetrics: RequestHandler;
  metricsHandler: RequestHandler;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpMetrics: (req, res, next) => {
      const end = duration.startTimer();
      res.on('finish', () => {
        // The matched route pattern, not the raw URL, keeps label cardinality bounded.
        const route = req.route
          ? `${req.baseUrl}${String((req.route as { path: string }).path)}`
          : 'unmatched';
        const labels = { method: req.method, route, status: String(res.statusCode) };
        end(labels);
        requests.inc(labels);
      });
      next();
    },
    metricsHandler: async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}
