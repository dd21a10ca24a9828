// Domain errors to HTTP problems: the one place this service decides status codes.
import { AppError, BusinessRuleError, ConflictError, NotFoundError } from '@orders/platform';
import { CatalogueUnavailable } from '../domain/catalogue';
import { OrderClosed, OrderNotFound } from '../domain/order';
import { OrderRejected } from '../domain/place-order';
import { SupportRequestRefused } from '../domain/order-saga-gateway';
import { NotYourOrder } from '../domain/support-requests';

export function toHttpError(err: unknown): unknown {
  if (err instanceof OrderNotFound) return new NotFoundError('order', err.orderId);
  if (err instanceof NotYourOrder) return new AppError(403, 'Forbidden', err.message, { code: 'FORBIDDEN' });
  if (err instanceof SupportRequestRefused) {
    // Asking for more than is refundable is a bad request body; everything else is the order's state.
    if (err.code === 'REFUND_EXCEEDS_CAPTURED' || err.code === 'REFUND_FAILED')
      return new BusinessRuleError(err.code, err.message);
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
