// Maps the domain's failures to HTTP: business refusals 422, state conflicts 409, missing 404,
// a Stripe outage 503 (which callers retry), each carrying its machine-readable `code`.
import type { ErrorRequestHandler } from 'express';
import { AppError, BusinessRuleError, ConflictError } from '@orders/platform';
import { PaymentError } from '../domain/errors';

export function toAppError(err: PaymentError): AppError {
  switch (err.kind) {
    case 'rejected':
      return new BusinessRuleError(err.code, err.message, err.details);
    case 'conflict':
      return new ConflictError(err.message, { code: err.code, ...err.details });
    case 'not_found':
      return new AppError(404, 'Not found', err.message, { code: err.code, ...err.details });
    case 'unavailable':
      return new AppError(503, 'Payment provider unavailable', err.message, {
        code: err.code,
        ...err.details,
      });
  }
}

/** Mounted at the end of the router, ahead of the platform's error middleware. */
export function domainErrors(): ErrorRequestHandler {
  return (err: unknown, _req, _res, next) => {
    next(err instanceof PaymentError ? toAppError(err) : err);
  };
}
