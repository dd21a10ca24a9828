// Prices come from the inventory service's catalogue at placement — never from the client
// (adapters/inventory-catalogue.ts reads it).
// They may be cached for a few seconds: the saga's validate step checks every line's price
// against the catalogue again, so an order priced just before a change fails cleanly there
// instead of being charged a stale price.
import { DomainError } from '@orders/platform';
import type { CatalogueProduct } from '@orders/orchestrator/shared';

export interface Catalogue {
  products(skus: string[]): Promise<CatalogueProduct[]>;
}

/** The inventory's catalogue cannot be read: the shopper is told to retry, the log gets `reason`. */
export class CatalogueUnavailable extends DomainError {
  constructor(reason: string, options?: ErrorOptions) {
    super(
      'unavailable',
      'CATALOGUE_UNAVAILABLE',
      'the catalogue cannot be reached right now; retry with the same Idempotency-Key',
      {},
      { cause: new Error(reason, options) },
    );
  }
}
