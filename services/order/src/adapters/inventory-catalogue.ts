// The inventory service's catalogue over its internal HTTP route, and a short-lived cache in
// front of it (the saga's validate step re-checks every price, so a cached one cannot be charged).
import { internalAuthorization } from '@orders/platform';
import type { CatalogueProduct } from '@orders/orchestrator/shared';
import { CatalogueUnavailable, type Catalogue } from '../domain/catalogue';

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
