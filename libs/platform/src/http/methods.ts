// What a request that no route took is told: 405 with `Allow` when the path exists under other
// methods (RFC 9110 15.5.6), else 404; and OPTIONS, answered with the methods of every route. The routes are read from
// the app's own router, so the answer cannot drift from what is mounted.
import type { Express, RequestHandler } from 'express';
import { notFoundHandler, sendProblem } from './middleware';

interface RouteLike {
  path: string | string[];
  methods: Record<string, boolean>;
}
interface LayerLike {
  route?: RouteLike;
  handle?: { stack?: LayerLike[] };
  match(path: string): unknown;
}

/** The methods a path answers to, from every route of the app that matches it. */
export function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  const visit = (stack: LayerLike[], rest: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (!matches(layer, rest)) continue;
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') methods.add(method.toUpperCase());
      } else if (Array.isArray(layer.handle?.stack)) {
        // A router sees the path below its mount point (all of it when mounted at the root).
        const mounted = matches(layer, rest);
        if (mounted) visit(layer.handle.stack, rest.slice(mounted.path.length) || '/');
      }
    }
  };
  visit((app.router as unknown as { stack: LayerLike[] }).stack, path);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function matches(layer: LayerLike, path: string): { path: string } | false {
  try {
    const found = layer.match(path) as { path?: unknown } | false;
    return found ? { path: typeof found.path === 'string' ? found.path : '' } : false;
  } catch {
    // An undecodable parameter: the path is answered by the error handler, not here.
    return false;
  }
}

/**
 * OPTIONS answered from every route of the app, ahead of the routers: each router would answer
 * with only its own routes' methods (the order service's GET and POST /v1/orders live in two).
 */
export function optionsHandler(app: Express): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    const allowed = allowedMethods(app, req.path);
    if (allowed.length === 0) {
      next();
      return;
    }
    res.setHeader('allow', [...allowed, 'OPTIONS'].join(', '));
    res.status(204).end();
  };
}

/** The last handler before the error middleware. */
export function unroutedHandler(app: Express): RequestHandler {
  const notFound = notFoundHandler();
  return (req, res, next) => {
    const allowed = allowedMethods(app, req.path);
    // A route of this very method passed the request on without answering: nothing is there.
    if (allowed.length > 0 && !allowed.includes(req.method)) {
      res.setHeader('allow', allowed.join(', '));
      sendProblem(res, {
        type: 'urn:problem:method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`,
        instance: req.originalUrl,
      });
      return;
    }
    notFound(req, res, next);
  };
}
