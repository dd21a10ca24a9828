// Maps the domain's refusals to HTTP: rule violations 422, state conflicts 409, missing 404,
// stale or missing versions 412/428, each carrying its machine-readable `code` for callers to switch on.
import type { ErrorRequestHandler } from 'express';
import { AppError, BusinessRuleError, ConflictError } from '@orders/platform';
import { InventoryError } from '../domain/errors';

export function toAppError(err: InventoryError): AppError {
  switch (err.kind) {
    case 'rejected':
      return new BusinessRuleError(err.code, err.message, err.details);
    case 'conflict':
      return new ConflictError(err.message, { code: err.code, ...err.details });
    case 'not_found':
      return new AppError(404, 'Not found', err.message, { code: err.code, ...err.details });
    case 'precondition_failed':
      return new AppError(412, 'Precondition failed', err.message, { code: err.code, ...err.details });
    case 'precondition_required':
      return new AppError(428, 'Precondition required', err.message, { code: err.code, ...err.details });
  }
}

/** Mounted at the end of each router, ahead of the platform's error middleware. */
export function domainErrors(): ErrorRequestHandler {
  return (err: unknown, _req, _res, next) => {
    next(err instanceof InventoryError ? toAppError(err) : err);
  };
}
