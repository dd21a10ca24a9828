// The middleware chain every service shares, in the one order that works: request context ->
// HTTP metrics -> probes (before the token, body parsing and faults, so a probe never depends on
// them) -> the internal token on everything not listed public -> documents -> JSON body -> the
// input guard (text the database cannot store) and OPTIONS -> optional fault injection -> the
// service's routes -> 405/404 and problem+json errors. /metrics is not here: it has a port of
// its own (startMetricsServer). Services differ only in their readiness checks, public prefixes
// and routes.
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { errorHandler, requestContext, requireJsonBody } from './middleware';
import { inputGuard, verifyUtf8Body } from './input-guard';
import { optionsHandler, unroutedHandler } from './methods';
import { faultInjection } from './faults';
import { PROBE_PATHS, healthRouter, type ReadinessCheck } from './health';
import { internalGuard } from './internal-auth';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** INTERNAL_API_TOKEN: required on every route but the probes and `publicPaths`. */
  internalApiToken: string;
  /**
   * Path prefixes reachable without the internal token, each guarded by its own means (the
   * order service's JWT-protected /v1) or public by nature (its API document). Empty for a
   * service only other services call.
   */
  publicPaths?: readonly string[];
  /** Mounts the /_faults admin routes and their middleware (tests and game days only). */
  faultInjection?: boolean;
  /** Mounted before body parsing: routes that serve documents rather than accept JSON. */
  beforeBody?: RequestHandler[];
  bodyLimit?: string;
}

export function serviceApp(options: ServiceAppOptions, mountRoutes: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext());
  app.use(options.metrics.httpMetrics);
  app.use(healthRouter(options.readiness));
  // Before the body is read: an unauthenticated caller costs no parsing. The probe paths pass
  // for every method, so an undeclared one there is a 405 like anywhere public.
  app.use(
    internalGuard({
      token: options.internalApiToken,
      publicPaths: [...PROBE_PATHS, ...(options.publicPaths ?? [])],
    }),
  );
  for (const handler of options.beforeBody ?? []) app.use(handler);
  app.use(requireJsonBody(), express.json({ limit: options.bodyLimit ?? '100kb', verify: verifyUtf8Body }));
  app.use(inputGuard(), optionsHandler(app));
  if (options.faultInjection) {
    const faults = faultInjection();
    app.use(faults.admin, faults.middleware);
  }
  mountRoutes(app);
  app.use(unroutedHandler(app));
  app.use(errorHandler(options.logger));
  return app;
}
