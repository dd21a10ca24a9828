// The order service's express app, without listening (tests call buildApp directly).
import type { Express } from 'express';
import { serviceApp, type Logger, type Metrics, type Pool, type ReadinessCheck } from '@orders/platform';
import { authenticate } from './auth/middleware';
import type { TokenService } from './auth/tokens';
import type { OrdersRepository } from './data-access/orders-repository';
import type { Catalogue } from './domain/catalogue';
import type { OrderSagaGateway } from './domain/order-saga-gateway';
import { sagaReads } from './domain/order-reads';
import type { SagaStarter } from './saga-starter';
import { placementRateLimit } from './routes/placement-rate-limit';
import { openApiRoutes } from './openapi/routes';
import { consoleRoutes, type ConsoleRoutesDeps } from './routes/console';
import { consolePage, devSignIn } from './routes/console-app';
import { internalRoutes } from './routes/internal';
import { listOrdersRoute } from './routes/list-orders';
import { orderRoutes } from './routes/orders';

export interface OrderAppDeps {
  orders: OrdersRepository;
  /** The order service's database: the placement rate limit's counters live there. */
  pool: Pool;
  catalogue: Catalogue;
  sagas: OrderSagaGateway;
  sagaStarter: SagaStarter;
  metrics: Metrics;
  tokens: TokenService;
  logger: Logger;
  readiness: Record<string, ReadinessCheck>;
  internalApiToken: string;
  placementRateLimitPerMinute: number;
  /** Per process: queries a second and at once that reads may send to sagas still moving. */
  sagaQueryBudget: { perSecond: number; concurrent: number };
  publicBaseUrl?: string;
  faultInjection?: boolean;
  /** The support console: its reads, where its page is built, and whether dev sign-in is mounted. */
  console: Omit<ConsoleRoutesDeps, 'orders' | 'logger'> & { distDir: string; devSignIn: boolean };
}

/**
 * What callers reach without the internal token: the customer and support API (each request
 * carries a JWT instead), its API document and the support console's page (which signs in to
 * that API; its development sign-in is mounted only outside production). Everything else
 * (/internal, /_faults, any route added later) takes the internal token.
 */
export const ORDER_PUBLIC_PATHS = ['/v1', '/openapi.json', '/docs', '/console'] as const;

export function buildApp(deps: OrderAppDeps): Express {
  const { orders } = deps;
  const options = {
    logger: deps.logger,
    metrics: deps.metrics,
    readiness: deps.readiness,
    internalApiToken: deps.internalApiToken,
    publicPaths: ORDER_PUBLIC_PATHS,
    faultInjection: deps.faultInjection,
    beforeBody: [
      openApiRoutes({ serverUrl: deps.publicBaseUrl || undefined }),
      consolePage(deps.console.distDir),
    ],
  };
  const app = serviceApp(options, (app) => {
    // Orchestrator only: the saga's `create` participant (the skeleton's guard requires the token).
    app.use(internalRoutes(orders));
    if (deps.console.devSignIn) app.use(devSignIn(deps.tokens));
    app.use('/v1', authenticate(deps.tokens));
    app.use(consoleRoutes({ ...deps.console, orders, logger: deps.logger }));
    app.use(listOrdersRoute(orders));
    app.use(
      orderRoutes({
        orders,
        catalogue: deps.catalogue,
        sagas: deps.sagas,
        sagaStarter: deps.sagaStarter,
        sagaReads: sagaReads(deps.sagas, {
          queriesPerSecond: deps.sagaQueryBudget.perSecond,
          maxConcurrentQueries: deps.sagaQueryBudget.concurrent,
          registry: deps.metrics.registry,
        }),
        publicBaseUrl: deps.publicBaseUrl ?? '',
        placementLimit: placementRateLimit({
          pool: deps.pool,
          perMinute: deps.placementRateLimitPerMinute,
          logger: deps.logger,
          registry: deps.metrics.registry,
        }),
      }),
    );
  });
  // Location URLs use X-Forwarded-Proto/Host from a proxy on this host only, never from clients.
  app.set('trust proxy', 'loopback');
  return app;
}
