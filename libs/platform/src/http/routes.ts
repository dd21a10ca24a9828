// The routes an express app serves, read from its router stack: tests walk them so a route
// added without a test of its guard is still checked (and a test cannot silently list fewer).
import type { Express } from 'express';

export interface RouteEntry {
  /** Upper-case HTTP method, e.g. `POST`. */
  method: string;
  /** The express path pattern including its mount prefix, e.g. `/v1/payments/:orderId/capture`. */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every (method, path) with a route handler, in mounting order; `all()` routes as method `ALL`. */
export function listRoutes(app: Express): RouteEntry[] {
  const router = (app as unknown as { router?: { stack: Layer[] } }).router;
  if (!router) throw new Error('listRoutes: the app has no router (express 5 expected)');
  const found: RouteEntry[] = [];
  walk(router.stack, '', found);
  return found;
}

function walk(stack: Layer[], prefix: string, found: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        for (const method of Object.keys(layer.route.methods)) {
          found.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: join(prefix, path) });
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      // A nested router; its mount path is a string (services mount routers at '/' or a prefix).
      if (typeof layer.rawPath !== 'string')
        throw new Error(`listRoutes: a router mounted at a non-string path (${String(layer.rawPath)})`);
      walk(layer.handle.stack, layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`, found);
    }
  }
}

const join = (prefix: string, path: string) => (path === '/' && prefix ? prefix : `${prefix}${path}`);
