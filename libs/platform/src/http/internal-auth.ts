// The internal service token: what the services present to each other. Every route is internal
// unless its service names it public, so a route added later is closed by default; the probes
// are mounted before the guard (the kubelet sends no token).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from './errors';

export const INTERNAL_REALM = 'orders-internal';

/**
 * Passes only requests carrying `Authorization: Bearer <expected>`. Both sides are hashed first,
 * so the comparison is constant-time whatever the presented length.
 */
export function requireInternalToken(expected: string): RequestHandler {
  if (expected.length === 0) throw new Error('the internal API token must not be empty');
  const expectedDigest = digest(expected);
  return (req, res, next) => {
    const token = bearerToken(req);
    if (token !== undefined && timingSafeEqual(digest(token), expectedDigest)) {
      next();
      return;
    }
    res.setHeader(
      'WWW-Authenticate',
      token === undefined
        ? `Bearer realm="${INTERNAL_REALM}"`
        : `Bearer realm="${INTERNAL_REALM}", error="invalid_token", error_description="not the internal API token"`,
    );
    throw new AppError(
      401,
      'Unauthorized',
      token === undefined
        ? `${req.method} ${req.path} needs the internal API token (Authorization: Bearer <INTERNAL_API_TOKEN>)`
        : `${req.method} ${req.path}: the bearer token is not the internal API token`,
      { code: token === undefined ? 'UNAUTHENTICATED' : 'TOKEN_INVALID' },
    );
  };
}

export interface InternalGuardOptions {
  token: string;
  /**
   * Path prefixes served without the internal token (each guarded its own way, e.g. by a JWT,
   * or meant to be public such as an API document). A prefix matches at a segment boundary:
   * `/v1` covers `/v1` and `/v1/orders`, not `/v1x`.
   */
  publicPaths?: readonly string[];
}

/** `requireInternalToken` on every path but the public ones. */
export function internalGuard({ token, publicPaths = [] }: InternalGuardOptions): RequestHandler {
  const check = requireInternalToken(token);
  const isPublic = publicPathMatcher(publicPaths);
  return (req, res, next) => {
    if (isPublic(req.path)) next();
    else check(req, res, next);
  };
}

/**
 * Whether a path is under one of the prefixes. Case-insensitive like express's own routing
 * (`/V1/orders` reaches the `/v1` routes, so it must be treated as `/v1` here too); anything
 * the prefixes do not literally cover stays guarded, so `//v1` or `/x/../v1` is internal.
 */
export function publicPathMatcher(prefixes: readonly string[]): (path: string) => boolean {
  for (const prefix of prefixes) {
    if (!/^\/[^/]/.test(prefix) || prefix.endsWith('/'))
      throw new Error(`public path "${prefix}" must start with one "/" and not end with one`);
  }
  const lowered = prefixes.map((p) => p.toLowerCase());
  return (path) => {
    const candidate = path.toLowerCase();
    return lowered.some(
      (prefix) => candidate === prefix || (candidate.startsWith(prefix) && candidate[prefix.length] === '/'),
    );
  };
}

/** The header a client of an internal route sends. */
export const internalAuthorization = (token: string): { authorization: string } => ({
  authorization: `Bearer ${token}`,
});

/** The credentials of a `Bearer` Authorization header; undefined when absent or another scheme. */
export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
  const token = match?.[1]?.trim();
  return token ? token : undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();
