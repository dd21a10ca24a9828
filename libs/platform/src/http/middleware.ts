// The express pieces every service mounts: request context first, problem+json errors last.
import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { runWithContext } from '../context';
import type { Logger } from '../logger';
import { DomainError } from '../domain-error';
import { AppError, fromDomainError, type ProblemDetails } from './errors';
import { INVALID_UTF8_BODY } from './input-guard';

export const PROBLEM_JSON = 'application/problem+json';

/** Takes the caller's `X-Request-Id` (or makes one), echoes it, and scopes the request's logs to it. */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    runWithContext({ requestId }, () => next());
  };
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    sendProblem(res, {
      type: 'urn:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: `no route for ${req.method} ${req.path}`,
      instance: req.originalUrl,
    });
  };
}

/**
 * The one error middleware. Known errors become their problem document; body-parser errors
 * become 400/413/415; anything else is logged with its stack and answered as an opaque 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const problem = toProblem(err, req.originalUrl);
    if (problem.status >= 500)
      logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    else
      logger.info(
        { status: problem.status, title: problem.title, detail: problem.detail, url: req.originalUrl },
        'request rejected',
      );
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, problem);
  };
}

function toProblem(err: unknown, instance: string): ProblemDetails {
  if (err instanceof AppError) return err.toProblem(instance);
  if (err instanceof DomainError) return fromDomainError(err).toProblem(instance);
  const e = err as { type?: string; status?: number; message?: string; expose?: boolean };
  // body-parser marks its errors with `type` and an HTTP status
  if (e?.type === 'entity.parse.failed')
    return problem(400, 'Invalid request', 'request body is not valid JSON', instance, [
      { field: '(body)', message: 'malformed JSON' },
    ]);
  if (e?.type === INVALID_UTF8_BODY)
    return problem(400, 'Invalid request', 'the request body is not valid UTF-8', instance, [
      { field: '(body)', message: 'not valid UTF-8' },
    ]);
  // The router could not percent-decode a path parameter (e.g. %ED%A0%80, a UTF-16 surrogate).
  if (err instanceof URIError && e.status === 400)
    return problem(400, 'Invalid request', 'the request path is not valid percent-encoded UTF-8', instance, [
      { field: 'path', message: 'not valid percent-encoded UTF-8' },
    ]);
  if (e?.type === 'entity.too.large')
    return problem(413, 'Payload too large', 'request body exceeds the size limit', instance);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return problem(415, 'Unsupported media type', e.message ?? 'unsupported encoding', instance);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose)
    return problem(e.status, 'Invalid request', e.message ?? 'bad request', instance);
  return problem(500, 'Internal server error', 'an unexpected error occurred; it has been logged', instance);
}

function problem(
  status: number,
  title: string,
  detail: string,
  instance: string,
  errors?: { field: string; message: string }[],
): ProblemDetails {
  return {
    type: `urn:problem:${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status,
    detail,
    instance,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(res: Parameters<RequestHandler>[1], body: ProblemDetails): void {
  res.status(body.status).type(PROBLEM_JSON).send(JSON.stringify(body));
}

/** Rejects bodies that are not JSON before parsing them (415 problem). */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    const hasBody =
      Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) {
      next(new AppError(415, 'Unsupported media type', 'send the request body as application/json'));
      return;
    }
    next();
  };
}
