import type { Express } from 'express';
import { serviceApp, type Logger, type Metrics, type Pool } from '@orders/platform';
import type { ConsumerState } from './consumer/order-events-consumer';
import type { NotificationsRepository } from './data-access/notifications-repository';
import { notificationsRouter } from './routes/notifications';

export interface AppDeps {
  pool: Pool;
  repository: NotificationsRepository;
  metrics: Metrics;
  logger: Logger;
  /** INTERNAL_API_TOKEN: every route but the probes requires it. */
  internalApiToken: string;
  /** The consumer's state: the service is only ready while it consumes. */
  consumerState: () => ConsumerState;
  faultInjection?: boolean;
}

export function buildApp(deps: AppDeps): Express {
  const readiness = {
    database: () => deps.pool.query('SELECT 1'),
    consumer: async () => {
      const state = deps.consumerState();
      if (state !== 'running') throw new Error(`order events consumer is ${state}`);
    },
  };
  return serviceApp({ ...deps, readiness }, (app) => {
    app.use(notificationsRouter(deps.repository));
  });
}
