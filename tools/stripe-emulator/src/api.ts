// What every /v1 request goes through, in Stripe's order: API key, latency, random failure,
// idempotency (replay, mismatch, in-flight), the endpoint, then saving its result for replay.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@orders/platform';
import { ConnectionReset, StripeApiError, apiError, authenticationError, parameterError } from './errors';
import type { Faults } from './faults';
import { sleep } from './faults';
import type { IdempotencyStore } from './idempotency';
import { newId } from './ids';
import type { Params } from './params';
import type { RequestInfo } from './state';

export interface ApiContext {
  info: RequestInfo;
  /** The form body of a POST, the query of a GET, as qs parsed them (bracket notation). */
  params: Params;
  pathParams: Record<string, string>;
  /**
   * Set by an endpoint when an injected fault fails the request after its effect (saved for
   * replay first): answer 500, or drop the connection without an answer.
   */
  afterEffect?: 'error' | 'reset';
}

export type Endpoint = (ctx: ApiContext) => unknown;

export interface ApiDeps {
  faults: Faults;
  idempotency: IdempotencyStore;
  logger: Logger;
  counters: { requests: number; replays: number };
}

const API_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

function apiKey(req: Request): string {
  const header = req.header('authorization') ?? '';
  let key = '';
  if (/^bearer /i.test(header)) key = header.slice(7).trim();
  else if (/^basic /i.test(header))
    key = Buffer.from(header.slice(6), 'base64').toString().split(':')[0] ?? '';
  if (!key)
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  if (!API_KEY.test(key))
    throw authenticationError(`Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(4)}${key.slice(-4)}`);
  return key;
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).json(body);
}

const errorBody = (err: StripeApiError, requestId: string) => ({
  error: { request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`, ...err.body },
});

export function endpoint(deps: ApiDeps, handler: Endpoint): RequestHandler {
  return async (req, res) => {
    const requestId = newId('req');
    res.setHeader('Request-Id', requestId);
    res.setHeader('Stripe-Version', req.header('stripe-version') ?? '2026-10-28.endive');
    deps.counters.requests++;
    const key = req.method === 'POST' ? (req.header('idempotency-key') ?? null) : null;
    let account: string | undefined;
    let saving = false;
    try {
      account = apiKey(req);
      await sleep(deps.faults.nextLatency());
      if (deps.faults.randomFailure()) throw apiError();
      const params = ((req.method === 'GET' ? req.query : req.body) ?? {}) as Params;
      if (key !== null) {
        if (key.length > 255)
          throw parameterError('Idempotency-Key must be at most 255 characters long.', 'Idempotency-Key');
        const begun = deps.idempotency.begin(account, key, `${req.method} ${req.path}`, params, requestId);
        if (begun.kind === 'replay') {
          deps.counters.replays++;
          res.setHeader('Idempotent-Replayed', 'true');
          res.setHeader('Original-Request', begun.originalRequest);
          send(res, begun.status, begun.body);
          return;
        }
        saving = true;
      }
      const ctx: ApiContext = {
        info: { account, requestId, idempotencyKey: key },
        params,
        pathParams: req.params as Record<string, string>,
      };
      let status = 200;
      let body: unknown;
      let storable = true;
      try {
        body = await handler(ctx);
      } catch (err) {
        if (!(err instanceof StripeApiError)) throw err;
        status = err.status;
        body = errorBody(err, requestId);
        storable = err.storable;
      }
      if (saving) {
        if (storable && status < 500) deps.idempotency.complete(account, key ?? '', status, body);
        else deps.idempotency.abandon(account, key ?? '');
        saving = false;
      }
      if (ctx.afterEffect === 'reset') throw new ConnectionReset();
      if (ctx.afterEffect === 'error')
        throw apiError('An unknown error occurred after the request took effect (emulated fault).');
      send(res, status, body);
    } catch (err) {
      if (saving && account !== undefined) deps.idempotency.abandon(account, key ?? '');
      if (err instanceof ConnectionReset) {
        // No status line, no body: the caller sees its socket closed (ECONNRESET).
        req.socket.destroy();
        return;
      }
      const failure =
        err instanceof StripeApiError ? err : apiError('An unexpected error occurred in the emulator.');
      if (!(err instanceof StripeApiError))
        deps.logger.error({ err, path: req.path }, 'emulator endpoint failed');
      send(res, failure.status, errorBody(failure, requestId));
    }
  };
}
