// The inventory's tables behind one repository, bound to the pool or to one transaction, so a
// use case that moves stock and a reservation does both on the same connection (the same idiom
// as the payment service's repository).
import { withTransaction, type Pool, type Queryable } from '@orders/platform';
import { createProductsRepository, type ProductsRepository } from './products-repository';
import { createReservationsRepository, type ReservationsRepository } from './reservations-repository';
import {
  createStockAdjustmentsRepository,
  type StockAdjustmentsRepository,
} from './stock-adjustments-repository';

export interface InventoryRepository {
  products: ProductsRepository;
  reservations: ReservationsRepository;
  adjustments: StockAdjustmentsRepository;
  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (tx: InventoryRepository) => Promise<T>): Promise<T>;
}

export function createInventoryRepository(pool: Pool, db: Queryable = pool): InventoryRepository {
  return {
    products: createProductsRepository(db),
    reservations: createReservationsRepository(db),
    adjustments: createStockAdjustmentsRepository(db),
    transaction: (fn) => withTransaction(pool, (client) => fn(createInventoryRepository(pool, client))),
  };
}
