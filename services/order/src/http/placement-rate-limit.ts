// Caps how fast one caller may place orders. Keyed by the authenticated subject rather than the
// IP, so shoppers behind one NAT do not share a budget and one token cannot spread across IPs.
//
// The counters live in this process's memory: with several replicas each allows `perMinute`,
// so the global limit is `perMinute x replicas`. A shared store (Redis, or PostgreSQL through an
// express-rate-limit store) is needed when the limit must hold across replicas.
import type { RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { AppError } from '@orders/platform';
import { principalOf } from '../auth/middleware';

export interface PlacementRateLimitOptions {
  perMinute: number;
  /** Receives express-rate-limit's configuration warnings (defaults to the console). */
  logger?: Options['logger'];
}

/** Mount after authenticate(), on the placement route only. */
export function placementRateLimit({ perMinute, logger }: PlacementRateLimitOptions): RequestHandler {
  if (!Number.isInteger(perMinute) || perMinute < 1)
    throw new Error(`placement rate limit must be a positive integer, got ${perMinute}`);
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    // RateLimit and RateLimit-Policy (IETF draft 8); Retry-After is added to refusals.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'placements',
    keyGenerator: (_req, res) => principalOf(res).subject,
    handler: (_req, _res, next) => {
      next(
        new AppError(
          429,
          'Too many requests',
          `at most ${perMinute} orders per minute; retry after Retry-After`,
          {
            code: 'RATE_LIMITED',
          },
        ),
      );
    },
    ...(logger ? { logger } : {}),
  });
}
