import express, { type Express } from 'express';
import {
  errorHandler,
  faultInjection,
  healthRouter,
  notFoundHandler,
  requestContext,
  requireJsonBody,
  type Logger,
  type Metrics,
  type Pool,
} from '@orders/platform';
import type { ConsumerState } from './consumer/order-events-consumer';
import type { NotificationsRepository } from './data-access/notifications-repository';
import { notificationsRouter } from './routes/notifications';

export interface AppDeps {
  pool: Pool;
  repository: NotificationsRepository;
  metrics: Metrics;
  logger: Logger;
  /** The consumer's state: the service is only ready while it consumes. */
  consumerState: () => ConsumerState;
  faultInjection?: boolean;
}

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext());
  app.use(deps.metrics.httpMetrics);
  app.use(
    healthRouter({
      database: () => deps.pool.query('SELECT 1'),
      consumer: async () => {
        const state = deps.consumerState();
        if (state !== 'running') throw new Error(`order events consumer is ${state}`);
      },
    }),
  );
  app.get('/metrics', deps.metrics.metricsHandler);
  app.use(requireJsonBody(), express.json({ limit: '100kb' }));
  if (deps.faultInjection) {
    const faults = faultInjection();
    app.use(faults.admin);
    app.use(faults.middleware);
  }
  app.use(notificationsRouter(deps.repository));
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger));
  return app;
}
