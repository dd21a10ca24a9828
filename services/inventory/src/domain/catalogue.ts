// Catalogue administration and reads.
import { pgErrorCode, PgErrorCode, type Pool } from '@orders/platform';
import * as products from '../data-access/products-repository';
import { productNotFound, stockBelowReserved } from './errors';
import type { Product, ProductInput } from './model';

export const MAX_LISTED_PRODUCTS = 500;

export async function getProduct(pool: Pool, sku: string): Promise<Product> {
  const product = await products.findProduct(pool, sku);
  if (!product) throw productNotFound(sku);
  return product;
}

/** The named products (unknown SKUs are simply absent), or the first 500 by SKU. */
export async function listProducts(pool: Pool, skus?: readonly string[]): Promise<Product[]> {
  return skus ? products.findProducts(pool, skus) : products.listProducts(pool, MAX_LISTED_PRODUCTS);
}

export async function putProduct(
  pool: Pool,
  input: ProductInput,
): Promise<{ product: Product; created: boolean }> {
  try {
    return await products.upsertProduct(pool, input);
  } catch (err) {
    // The database is the judge of `reserved <= on_hand`: checking first and then writing
    // would race with a reservation taken in between.
    if (
      pgErrorCode(err) === PgErrorCode.checkViolation &&
      (err as { constraint?: string }).constraint === 'products_reserved_within_on_hand'
    ) {
      const current = await products.findProduct(pool, input.sku);
      throw stockBelowReserved(input.sku, input.onHand, current?.reserved ?? 0);
    }
    throw err;
  }
}
