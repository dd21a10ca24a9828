// Prices come from the inventory service's catalogue at placement — never from the client.
export interface CatalogueProduct {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  maxPerOrder: number;
}

export interface Catalogue {
  products(skus: string[]): Promise<CatalogueProduct[]>;
}

export class CatalogueUnavailable extends Error {}

export function httpCatalogue(inventoryUrl: string, timeoutMs = 3_000): Catalogue {
  return {
    async products(skus) {
      const url = new URL('/v1/products', inventoryUrl);
      url.searchParams.set('skus', skus.join(','));
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
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
