// Test helpers for the internal token: each route of an app (read from its router, so a route
// added later is checked without anyone remembering to) is asked without a credential, with a
// wrong one and with the right one. Imported by the services' tests only (`@orders/platform/testing`).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { PROBE_PATHS } from '../http/health';
import { listRoutes, type RouteEntry } from '../http/routes';

export { PROBE_PATHS };

export interface GuardReply {
  status: number;
  code?: string;
  challenge: string | null;
  contentType: string;
}

/** A request path for a route pattern: every `:param` / `*param` becomes a fresh UUID (nothing has it). */
export function concretePath(pattern: string): string {
  return pattern.replace(/[:*](\w+)/g, () => randomUUID());
}

const methodOf = (route: RouteEntry) => (route.method === 'ALL' ? 'POST' : route.method);

/** Sends the route once; a method with a body gets `{}` as JSON. */
export async function askRoute(
  baseUrl: string,
  route: RouteEntry,
  headers: Record<string, string> = {},
): Promise<GuardReply> {
  const method = methodOf(route);
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const res = await fetch(`${baseUrl}${concretePath(route.path)}`, {
    method,
    headers: withBody ? { 'content-type': 'application/json', ...headers } : headers,
    body: withBody ? '{}' : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let code: string | undefined;
  try {
    const parsed = JSON.parse(text) as { code?: unknown };
    if (typeof parsed.code === 'string') code = parsed.code;
  } catch {
    // not JSON: no code
  }
  return {
    status: res.status,
    code,
    challenge: res.headers.get('www-authenticate'),
    contentType: res.headers.get('content-type')?.split(';')[0] ?? '',
  };
}

/**
 * One internal route: without a credential 401 UNAUTHENTICATED, with a wrong token 401
 * TOKEN_INVALID (both problem+json with a Bearer challenge), with the right token an answer
 * that is neither 401/403 nor a server error.
 */
export async function assertInternalRoute(baseUrl: string, route: RouteEntry, token: string): Promise<void> {
  const label = `${route.method} ${route.path}`;
  const none = await askRoute(baseUrl, route);
  assert.deepEqual([none.status, none.code], [401, 'UNAUTHENTICATED'], `${label} without a credential`);
  assert.equal(none.contentType, 'application/problem+json', label);
  assert.match(none.challenge ?? '', /^Bearer realm="orders-internal"/, label);

  for (const wrong of [`${token}x`, `wrong-${randomUUID()}`]) {
    const reply = await askRoute(baseUrl, route, { authorization: `Bearer ${wrong}` });
    assert.deepEqual([reply.status, reply.code], [401, 'TOKEN_INVALID'], `${label} with a wrong token`);
    assert.match(reply.challenge ?? '', /error="invalid_token"/, label);
  }

  const right = await askRoute(baseUrl, route, { authorization: `Bearer ${token}` });
  assert.ok(
    right.status !== 401 && right.status !== 403 && right.status < 500,
    `${label} with the right token answered ${right.status} ${right.code ?? ''}`,
  );
}

/** A `${METHOD} ${path}` list of routes, for asserting that expected routes were found. */
export const routeNames = (routes: RouteEntry[]): string[] => routes.map((r) => `${r.method} ${r.path}`);

/** A service under test, as its harness starts it (fault injection on, so /_faults is listed). */
export interface GuardedService {
  app: Parameters<typeof listRoutes>[0];
  url: string;
  metricsUrl: string;
  internalApiToken: string;
  close(): Promise<void> | void;
}

/**
 * The door tests every internal service shares: each route read from its router (so a new one
 * cannot be forgotten) refuses no token and wrong ones and serves the right one; the probes are
 * public; /metrics is on the metrics port only, and the API is not.
 */
export function internalDoorTests(options: {
  service: string;
  start: () => Promise<GuardedService>;
  /** Routes the listing must contain, e.g. 'GET /v1/products'. */
  expectedRoutes: string[];
  /** An API path that must not answer on the metrics port. */
  apiPath: string;
}): void {
  let svc: GuardedService;
  before(async () => {
    svc = await options.start();
  });
  after(() => svc.close());

  test('every route but the probes requires the internal token', async (t) => {
    const routes = listRoutes(svc.app);
    const names = routeNames(routes);
    for (const expected of [...options.expectedRoutes, 'POST /_faults', 'DELETE /_faults'])
      assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);
    for (const route of routes) {
      if (PROBE_PATHS.includes(route.path)) continue;
      await t.test(`${route.method} ${route.path}`, () =>
        assertInternalRoute(svc.url, route, svc.internalApiToken),
      );
    }
  });

  test('the probes answer without a credential', async () => {
    for (const path of PROBE_PATHS)
      assert.equal((await askRoute(svc.url, { method: 'GET', path })).status, 200, path);
  });

  test('/metrics is served on the metrics port, not on the HTTP port', async () => {
    const onHttp = await fetch(`${svc.url}/metrics`, {
      headers: { authorization: `Bearer ${svc.internalApiToken}` },
    });
    assert.equal(onHttp.status, 404);
    const scraped = await fetch(`${svc.metricsUrl}/metrics`);
    assert.equal(scraped.status, 200);
    assert.match(
      await scraped.text(),
      new RegExp(`http_server_requests_total\\{[^}]*service="${options.service}"`),
    );
    assert.equal(
      (await fetch(`${svc.metricsUrl}${options.apiPath}`)).status,
      404,
      'no API on the metrics port',
    );
  });
}
