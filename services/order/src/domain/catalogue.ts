// Prices come from the inventory service's catalogue at placement — never from the client.
// They may be cached for a few seconds: the saga's validate step checks every line's price
// against the catalogue again, so an order priced just before a change fails cleanly there
// instead of being charged a stale price.
import { DomainError, internalAuthorization } from '@orders/platform';
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

/** The inventory service's catalogue; `internalApiToken` is what its routes require. */
export function httpCatalogue(inventoryUrl: string, internalApiToken: string, timeoutMs = 3_000): Catalogue {
  const headers = internalAuthorization(internalApiToken);
  return {
    async products(skus) {
      const url = new URL('/v1/products', inventoryUrl);
      url.searchParams.set('skus', skus.join(','));
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new CatalogueUnavailable(
          `inventory unreachable: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
      if (!response.ok)
        throw new CatalogueUnavailable(`inventory answered ${response.status} for the catalogue`);
      const body = (await response.json()) as { items: CatalogueProduct[] };
      return body.items;
    },
  };
}

/**
 * Remembers each product for `ttlMs`, so a burst of placements does not cost the inventory
 * service one catalogue request each. SKUs the catalogue does not know are not remembered.
 */
export function cachedCatalogue(
  inner: Catalogue,
  { ttlMs, now = Date.now }: { ttlMs: number; now?: () => number },
): Catalogue {
  if (ttlMs <= 0) return inner;
  const cache = new Map<string, { product: CatalogueProduct; expiresAt: number }>();
  return {
    async products(skus) {
      const at = now();
      const fresh: CatalogueProduct[] = [];
      for (const sku of skus) {
        const entry = cache.get(sku);
        if (entry && entry.expiresAt > at) fresh.push(entry.product);
      }
      if (fresh.length === skus.length) return fresh;
      const products = await inner.products(skus);
      const expiresAt = now() + ttlMs;
      for (const product of products) cache.set(product.sku, { product, expiresAt });
      return products;
    },
  };
}
