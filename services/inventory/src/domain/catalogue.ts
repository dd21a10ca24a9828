// Catalogue administration and reads.
import { pgErrorCode, PgErrorCode, type Pool } from '@orders/platform';
import { createInventoryRepository } from '../data-access/inventory-repository';
import {
  productExists,
  productNotFound,
  stockBelowReserved,
  versionMismatch,
  versionRequired,
} from './errors';
import type { Product, ProductInput } from './model';

export const MAX_LISTED_PRODUCTS = 500;

export async function getProduct(pool: Pool, sku: string): Promise<Product> {
  const product = await createInventoryRepository(pool).products.findProduct(sku);
  if (!product) throw productNotFound(sku);
  return product;
}

/** The named products (unknown SKUs are simply absent), or the first 500 by SKU. */
export async function listProducts(pool: Pool, skus?: readonly string[]): Promise<Product[]> {
  return skus
    ? createInventoryRepository(pool).products.findProducts(skus)
    : createInventoryRepository(pool).products.listProducts(MAX_LISTED_PRODUCTS);
}

/**
 * What a PUT must know about the product it writes: the version it read (`ifMatch`), or that it
 * creates a new one (`createOnly`, If-None-Match: *). Without either it may only create.
 */
export interface WritePrecondition {
  ifMatch?: number;
  createOnly?: boolean;
}

/**
 * Creates a product, or replaces one at the version the caller read (compare-and-set): an
 * absolute `onHand` written over a commit or a hold that happened in between would oversell, so
 * a write over an existing product without its version is refused. Deltas go through
 * adjustStock (stock.ts), which needs no version.
 */
export async function putProduct(
  pool: Pool,
  input: ProductInput,
  precondition: WritePrecondition = {},
): Promise<{ product: Product; created: boolean }> {
  try {
    if (precondition.ifMatch === undefined) {
      const created = await createInventoryRepository(pool).products.insertProduct(input);
      if (created) return { product: created, created: true };
      throw precondition.createOnly ? productExists(input.sku) : versionRequired(input.sku);
    }
    const updated = await createInventoryRepository(pool).products.updateProductAtVersion(
      input,
      precondition.ifMatch,
    );
    if (updated) return { product: updated, created: false };
    const current = await createInventoryRepository(pool).products.findProduct(input.sku);
    throw versionMismatch(input.sku, precondition.ifMatch, current?.version ?? null);
  } catch (err) {
    // The database is the judge of `reserved <= on_hand`: checking first and then writing
    // would race with a reservation taken in between.
    if (
      pgErrorCode(err) === PgErrorCode.checkViolation &&
      (err as { constraint?: string }).constraint === 'products_reserved_within_on_hand'
    ) {
      const current = await createInventoryRepository(pool).products.findProduct(input.sku);
      throw stockBelowReserved(input.sku, input.onHand, current?.reserved ?? 0);
    }
    throw err;
  }
}
