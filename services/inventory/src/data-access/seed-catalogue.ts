// The demo catalogue inserted at start-up (SEED_CATALOGUE). Existing products keep their stock:
// a restart must never undo sales or refill what an operator set.
import type { ProductInput } from '../domain/model';
import type { Queryable } from '@orders/platform';
import { createProductsRepository } from './products-repository';

const product = (sku: string, name: string, unitPrice: number, onHand: number): ProductInput => ({
  sku,
  name,
  unitPrice,
  currency: 'eur',
  onHand,
  maxPerOrder: 100,
});

export const SEED_CATALOGUE: readonly ProductInput[] = [
  product('TSHIRT-BLK-M', 'Black T-shirt, M', 1999, 500),
  product('MUG-LOGO', 'Logo mug', 1299, 300),
  product('HOODIE-GRY-L', 'Grey hoodie, L', 4999, 200),
  product('STICKER-PACK', 'Sticker pack', 499, 1000),
  product('POSTER-A2', 'Poster, A2', 1599, 50),
  product('CAP-NAVY', 'Navy cap', 2499, 150),
  product('SOCKS-3PK', 'Socks, 3 pairs', 1499, 400),
  product('LIMITED-PRINT', 'Limited signed print', 9999, 3),
];

/** Returns how many products were inserted. */
export async function seedCatalogue(
  db: Queryable,
  catalogue: readonly ProductInput[] = SEED_CATALOGUE,
): Promise<number> {
  return createProductsRepository(db).insertMissingProducts(catalogue);
}
