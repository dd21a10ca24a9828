// Domain errors to HTTP problems: the one place this service decides status codes.
import { AppError, BusinessRuleError, ConflictError, NotFoundError } from '@orders/platform';
import { CatalogueUnavailable } from '../domain/catalogue';
import { OrderClosed, OrderNotFound } from '../domain/order';
import { OrderRejected } from '../domain/place-order';

export function toHttpError(err: unknown): unknown {
  if (err instanceof OrderNotFound) return new NotFoundError('order', err.orderId);
  if (err instanceof OrderClosed)
    return new ConflictError(err.message, { code: 'ORDER_CLOSED', orderStatus: err.status });
  if (err instanceof OrderRejected) return new BusinessRuleError(err.code, err.message, err.details);
  if (err instanceof CatalogueUnavailable)
    return new AppError(
      503,
      'Service unavailable',
      'the catalogue cannot be reached right now; retry with the same Idempotency-Key',
      { code: 'CATALOGUE_UNAVAILABLE' },
    );
  return err;
}
