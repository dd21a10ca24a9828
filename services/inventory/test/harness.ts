// Test harness: the real app on a real PostgreSQL (the running stack), on a free port.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import {
  createLogger,
  createMetrics,
  createPool,
  internalAuthorization,
  migrate,
  startMetricsServer,
  startServer,
  type Pool,
} from '@orders/platform';
import { buildApp } from '../src/app';
import { MIGRATIONS_DIR as migrationsDir } from '../src/service';

export interface ProductJson {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  onHand: number;
  reserved: number;
  available: number;
  maxPerOrder: number;
  version: number;
}

export interface ReservationJson {
  orderId: string;
  status: string;
  items: { sku: string; quantity: number; unitPrice: number; returnedQuantity: number }[];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export interface Reply<T> {
  status: number;
  contentType: string;
  headers: Headers;
  body: T;
}

export interface Inventory {
  url: string;
  /** GET /metrics lives here, not on `url`. */
  metricsUrl: string;
  /** The app behind `url` (tests enumerate its routes). */
  app: Express;
  /** The token this instance requires; `call` sends it unless the headers name an authorization. */
  internalApiToken: string;
  pool: Pool;
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
  /** Creates a product with a SKU no other test uses; returns the SKU. */
  createProduct(input: { onHand: number; unitPrice?: number; maxPerOrder?: number }): Promise<string>;
  product(sku: string): Promise<ProductJson>;
  reserve(
    orderId: string,
    items: { sku: string; quantity: number }[],
    ttlSeconds?: number,
  ): Promise<Reply<ReservationJson & ProblemJson>>;
  close(): Promise<void>;
}

export function databaseUrl(): string {
  const url = process.env.INVENTORY_DATABASE_URL;
  if (!url) {
    throw new Error(
      'INVENTORY_DATABASE_URL is not set: run the tests with the stack env, e.g. ' +
        '`set -a && . .stack/dev/stack.env && set +a && node --import tsx --test services/inventory/test/*.test.ts`',
    );
  }
  return url;
}

export const uniqueSku = (label = 'SKU') => `T-${label}-${randomUUID()}`;
export { uniqueOrderId } from '@orders/stack/testing';

export async function startInventory(options: { faultInjection?: boolean } = {}): Promise<Inventory> {
  const url = databaseUrl();
  const logger = createLogger('inventory-test', 'silent');
  await migrate(url, migrationsDir, logger);
  const pool = createPool(url, { application: 'inventory-test' });
  // A token of this run's own: nothing may work only because of the development default.
  const internalApiToken = `inventory-test-${randomUUID()}`;
  const metrics = createMetrics('inventory');
  const app = buildApp({
    pool,
    logger,
    metrics,
    internalApiToken,
    reservationTtlSeconds: 900,
    faultInjection: options.faultInjection,
  });
  const server = await startServer(app, 0);
  const metricsServer = await startMetricsServer(metrics, 0);

  const call: Inventory['call'] = async (method, path, body, extra = {}) => {
    const headers = { ...internalAuthorization(internalApiToken), ...extra };
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type')?.split(';')[0] ?? '',
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as never,
    };
  };

  const product = async (sku: string) => {
    const res = await call<ProductJson>('GET', `/v1/products/${sku}`);
    if (res.status !== 200) throw new Error(`GET product ${sku}: ${res.status}`);
    return res.body;
  };

  return {
    url: server.url,
    metricsUrl: metricsServer.url,
    app,
    internalApiToken,
    pool,
    call,
    product,
    async createProduct({ onHand, unitPrice = 1000, maxPerOrder }) {
      const sku = uniqueSku();
      const res = await call('PUT', `/v1/products/${sku}`, {
        name: `Test product ${sku}`,
        unitPrice,
        currency: 'eur',
        onHand,
        ...(maxPerOrder === undefined ? {} : { maxPerOrder }),
      });
      if (res.status !== 201)
        throw new Error(`PUT product ${sku}: ${res.status} ${JSON.stringify(res.body)}`);
      return sku;
    },
    reserve: (orderId, items, ttlSeconds) =>
      call('POST', '/v1/reservations', { orderId, items, ...(ttlSeconds ? { ttlSeconds } : {}) }),
    async close() {
      await server.close(1_000);
      await metricsServer.close(1_000);
      await pool.end();
    },
  };
}
