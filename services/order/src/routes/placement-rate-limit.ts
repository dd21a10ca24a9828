// Caps how many orders one caller may place per minute. Keyed by the authenticated subject rather
// than the IP, so shoppers behind one NAT do not share a budget and one token cannot spread
// across IPs.
//
// The counters live in the order service's PostgreSQL (rate-limiter-flexible's
// RateLimiterPostgres, table `placement_rate_limits` from migration 0004), so every replica
// draws on the same budget: five replicas allow `perMinute`, not five times it.
//
// The limit counts orders accepted, not requests made: a placement takes a permit before it is
// priced and stored, and gives it back when it is not accepted (refused by a business rule, the
// catalogue unreachable, or the Idempotency-Key turns out to belong to an accepted order). A
// request refused as malformed (400) never takes one, nor does a replay of an accepted order
// (see place-order.ts); a refused request (429) gives back what it took too, so a burst of
// refusals cannot keep a budget used up.
//
// When PostgreSQL cannot answer the limiter (an error, or the pool's 5 s connect timeout), each
// replica falls back to an in-memory budget of the same size, logged and counted. The limit
// degrades to per replica rather than failing open (no limit exactly when the database is under
// stress) or closed (every placement refused over what may be a blip the order insert survives);
// if the database is down for real, the insert that follows fails the placement with a 503 anyway.
import type { Response } from 'express';
import { Counter, type Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, type Logger, type Pool } from '@orders/platform';
import type { Admission } from '../domain/place-order';

export const PLACEMENT_RATE_LIMIT_TABLE = 'placement_rate_limits';
const WINDOW_SECONDS = 60;
const POLICY = 'placements';

type Store = 'shared' | 'local';
interface Decision {
  store: Store;
  admitted: boolean;
  result: RateLimiterRes;
}

export interface PlacementRateLimitOptions {
  pool: Pool;
  perMinute: number;
  logger: Logger;
  registry?: Registry;
}

export interface PlacementRateLimit {
  readonly perMinute: number;
  /**
   * Takes one placement from `subject`'s budget for the current minute and sets the RateLimit
   * headers on `res`; throws 429 RATE_LIMITED (with Retry-After) when none is left.
   */
  admit(res: Response, subject: string): Promise<Admission>;
}

export function placementRateLimit({
  pool,
  perMinute,
  logger,
  registry,
}: PlacementRateLimitOptions): PlacementRateLimit {
  if (!Number.isInteger(perMinute) || perMinute < 1)
    throw new Error(`placement rate limit must be a positive integer, got ${perMinute}`);
  const shared = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: PLACEMENT_RATE_LIMIT_TABLE,
    tableCreated: true,
    keyPrefix: POLICY,
    points: perMinute,
    duration: WINDOW_SECONDS,
  });
  const local = new RateLimiterMemory({ keyPrefix: POLICY, points: perMinute, duration: WINDOW_SECONDS });
  const decisions = new Counter({
    name: 'order_placement_rate_limit_decisions_total',
    help: 'Placement rate limit decisions: admitted or refused, from the shared store or the per-replica fallback',
    labelNames: ['outcome', 'store'] as const,
    registers: registry ? [registry] : [],
  });

  /** Gives a consumed point back, in the window it was taken from only (never into a new one). */
  const giveBackShared = async (subject: string): Promise<void> => {
    // Not the library's reward(): on a window that has just ended it would open the next one at
    // -1 points, one placement more than the limit.
    await pool.query(
      `UPDATE ${PLACEMENT_RATE_LIMIT_TABLE} SET points = greatest(points - 1, 0) WHERE key = $1 AND expire > $2`,
      [shared.getKey(subject), Date.now()],
    );
  };
  const giveBack = async (store: Store, subject: string): Promise<void> => {
    try {
      if (store === 'shared') await giveBackShared(subject);
      else await local.reward(subject, 1);
    } catch (err) {
      // Costs the caller one placement of this minute at most; not worth failing a request for.
      logger.warn({ err, subject }, 'could not give back a placement rate limit permit');
    }
  };

  /** rate-limiter-flexible rejects with a RateLimiterRes when the budget is used up. */
  const decide = async (store: Store, consumed: Promise<RateLimiterRes>): Promise<Decision> => {
    try {
      return { store, admitted: true, result: await consumed };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { store, admitted: false, result: err };
      throw err;
    }
  };
  const consume = async (subject: string): Promise<Decision> => {
    try {
      return await decide('shared', shared.consume(subject));
    } catch (err) {
      logger.warn({ err }, 'placement rate limit store unavailable: using this replica’s own budget');
      return decide('local', local.consume(subject));
    }
  };

  const setHeaders = (res: Response, result: RateLimiterRes) => {
    const resetSeconds = Math.max(0, Math.ceil(result.msBeforeNext / 1000));
    res.setHeader('RateLimit-Policy', `"${POLICY}"; q=${perMinute}; w=${WINDOW_SECONDS}`);
    res.setHeader('RateLimit', `"${POLICY}"; r=${result.remainingPoints}; t=${resetSeconds}`);
    return resetSeconds;
  };

  return {
    perMinute,
    async admit(res, subject) {
      const { store, admitted, result } = await consume(subject);
      decisions.inc({ outcome: admitted ? 'admitted' : 'refused', store });
      const resetSeconds = setHeaders(res, result);
      if (!admitted) {
        await giveBack(store, subject);
        res.setHeader('Retry-After', String(resetSeconds));
        throw new AppError(
          429,
          'Too many requests',
          `at most ${perMinute} orders per minute; retry after Retry-After`,
          { code: 'RATE_LIMITED' },
        );
      }
      let returned = false;
      return {
        async cancel() {
          if (returned) return;
          returned = true;
          await giveBack(store, subject);
        },
      };
    },
  };
}
