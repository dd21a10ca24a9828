// Domain errors to HTTP problems: the one place this service decides status codes.
import { AppError, BusinessRuleError, ConflictError, NotFoundError } from '@orders/platform';
import { CatalogueUnavailable } from '../domain/catalogue';
import { OrderClosed, OrderNotFound } from '../domain/order';
import { OrderRejected } from '../domain/place-order';
import { SupportRequestRefused } from '../domain/order-saga-gateway';
import { NotYourOrder } from '../domain/order-visibility';
import { ItemsNeedSupport } from '../domain/support-requests';
import { SupportRejection } from '@orders/orchestrator/shared';

const BUSINESS_REFUSALS = new Set<string>([
  SupportRejection.refundExceedsCaptured,
  SupportRejection.refundFailed,
  SupportRejection.idempotencyKeyReused,
  SupportRejection.returnExceedsOrdered,
]);

export function toHttpError(err: unknown): unknown {
  if (err instanceof OrderNotFound) return new NotFoundError('order', err.orderId);
  if (err instanceof ItemsNeedSupport)
    return new AppError(403, 'Forbidden', err.message, { code: 'FORBIDDEN' });
  if (err instanceof NotYourOrder) return new AppError(403, 'Forbidden', err.message, { code: 'FORBIDDEN' });
  if (err instanceof SupportRequestRefused) {
    // A request that breaks a business rule is 422; everything else is the order's state (409).
    if (BUSINESS_REFUSALS.has(err.code)) return new BusinessRuleError(err.code, err.message);
    return new ConflictError(err.message, { code: err.code });
  }
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
