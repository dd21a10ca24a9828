// Business outcomes the inventory refuses, named by a stable machine-readable code. The domain
// says what kind of refusal it is; the platform's error middleware decides how it is presented.
import { DomainError } from '@orders/platform';

/** The inventory's refusals; the platform's error middleware presents each kind. */
export class InventoryError extends DomainError {}

export const outOfStock = (sku: string, requested: number, available: number) =>
  new InventoryError(
    'rejected',
    'OUT_OF_STOCK',
    `only ${available} of ${sku} available, ${requested} requested`,
    {
      sku,
      requested,
      available,
    },
  );

export const unknownSku = (sku: string) =>
  new InventoryError('rejected', 'UNKNOWN_SKU', `no product with sku ${sku}`, { sku });

export const quantityLimit = (sku: string, requested: number, maxPerOrder: number) =>
  new InventoryError(
    'rejected',
    'QUANTITY_LIMIT',
    `at most ${maxPerOrder} of ${sku} per order, ${requested} requested`,
    { sku, maxPerOrder },
  );

export const returnExceedsCommitted = (sku: string, requested: number, returnable: number) =>
  new InventoryError(
    'rejected',
    'RETURN_EXCEEDS_COMMITTED',
    `only ${returnable} of ${sku} can still be returned, ${requested} requested`,
    { sku, requested, returnable },
  );

export const reservationMismatch = (orderId: string) =>
  new InventoryError(
    'conflict',
    'RESERVATION_MISMATCH',
    `order ${orderId} already has a reservation with different items`,
    { orderId },
  );

export const reservationClosed = (orderId: string, status: string) =>
  new InventoryError(
    'conflict',
    'RESERVATION_CLOSED',
    `the reservation of order ${orderId} is ${status}; it cannot hold stock again`,
    { orderId, reservationStatus: status },
  );

export const reservationExpired = (orderId: string) =>
  new InventoryError(
    'conflict',
    'RESERVATION_EXPIRED',
    `the reservation of order ${orderId} expired before payment was captured; its stock is no longer held`,
    { orderId, reservationStatus: 'EXPIRED' },
  );

export const reservationNotHeld = (orderId: string, status: string) =>
  new InventoryError(
    'conflict',
    'RESERVATION_NOT_HELD',
    `the reservation of order ${orderId} is ${status}, not HELD`,
    { orderId, reservationStatus: status },
  );

export const reservationCommitted = (orderId: string) =>
  new InventoryError(
    'conflict',
    'RESERVATION_COMMITTED',
    `the reservation of order ${orderId} is COMMITTED; give its stock back with return`,
    { orderId },
  );

export const reservationNotFound = (orderId: string) =>
  new InventoryError('not_found', 'RESERVATION_NOT_FOUND', `order ${orderId} has no reservation`, {
    orderId,
  });

export const productNotFound = (sku: string) =>
  new InventoryError('not_found', 'PRODUCT_NOT_FOUND', `no product with sku ${sku}`, { sku });

export const stockBelowReserved = (sku: string, onHand: number, reserved: number) =>
  new InventoryError(
    'conflict',
    'STOCK_BELOW_RESERVED',
    `on hand stock of ${sku} cannot be ${onHand}: ${reserved} are currently reserved`,
    { sku, onHand, reserved },
  );

export const idempotencyKeyReused = (key: string, what = 'return') =>
  new InventoryError(
    'conflict',
    'IDEMPOTENCY_KEY_REUSED',
    `idempotency key ${key} was already used for a different ${what}`,
    { idempotencyKey: key },
  );

export const stockAboveLimit = (sku: string, onHand: number, limit: number) =>
  new InventoryError(
    'rejected',
    'STOCK_LIMIT',
    `on hand stock of ${sku} cannot be ${onHand}: at most ${limit}`,
    { sku, onHand, limit },
  );

/** The product changed since the writer read it (or is gone): read it again, then decide. */
export const versionMismatch = (sku: string, expected: number, current: number | null) =>
  new InventoryError(
    'precondition_failed',
    'VERSION_MISMATCH',
    current === null
      ? `no product with sku ${sku} to match version ${expected}`
      : `product ${sku} is at version ${current}, not ${expected}: it changed since it was read`,
    { sku, expectedVersion: expected, currentVersion: current },
  );

export const productExists = (sku: string) =>
  new InventoryError('precondition_failed', 'PRODUCT_EXISTS', `product ${sku} already exists`, { sku });

export const versionRequired = (sku: string) =>
  new InventoryError(
    'precondition_required',
    'VERSION_REQUIRED',
    `product ${sku} exists: replacing it needs If-Match with the version (ETag) it was read at; ` +
      `to add or remove stock, POST /v1/products/${sku}/stock-adjustments`,
    { sku },
  );
