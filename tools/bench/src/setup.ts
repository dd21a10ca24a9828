// The setup phase: the load-test catalogue upserted through the inventory API, bearer tokens
// minted in-process with the secret the apps verify, and completed orders for follow, cancel
// and refund to act on.
import { DEV_JWT_SECRET, createTokenService } from '@orders/order/auth';
import type { CompletionWatcher } from './completions';
import type { Product } from './scenarios';
import type { PreparedOrder } from './targets';
import { orderItems } from './targets';

export interface Tokens {
  customers: string[];
  support: string;
}

/** `label` names the run's shoppers (`<label>-<runId>-c<i>`), so an audit can scope to them. */
export async function mintTokens(
  runId: string,
  customers: number,
  ttl = '6h',
  label = 'bench',
): Promise<Tokens> {
  const tokens = createTokenService({ secret: process.env.JWT_SECRET || DEV_JWT_SECRET });
  const list = await Promise.all(
    Array.from({ length: customers }, (_, i) =>
      tokens.sign(
        {
          sub: `${label}-${runId}-c${i}`,
          role: 'customer',
          email: `${label}-c${i}@example.test`,
          name: `${label[0]?.toUpperCase()}${label.slice(1)} shopper ${i}`,
        },
        ttl,
      ),
    ),
  );
  return {
    customers: list,
    support: await tokens.sign({ sub: `${label}-${runId}-agent`, role: 'support' }, ttl),
  };
}

/**
 * Sets each product to the run's definition (stock included). A product that exists is replaced
 * at the version just read (If-Match), so a reservation landing in between makes the write fail
 * with 412 and it is read and written again, rather than overwriting that reservation's effect.
 * `internalApiToken`: the inventory service's routes require the internal service token.
 */
export async function upsertCatalogue(
  inventoryUrl: string,
  internalApiToken: string,
  catalogue: Product[],
): Promise<void> {
  for (const product of catalogue) await setProduct(inventoryUrl, internalApiToken, product);
}

async function setProduct(
  inventoryUrl: string,
  internalApiToken: string,
  { sku, ...product }: Product,
): Promise<void> {
  const url = `${inventoryUrl}/v1/products/${encodeURIComponent(sku)}`;
  const auth = { authorization: `Bearer ${internalApiToken}` };
  let last = '';
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await fetch(url, { headers: auth });
    if (current.status !== 200 && current.status !== 404)
      throw new Error(`GET /v1/products/${sku} answered ${current.status}: ${await current.text()}`);
    const etag = current.status === 200 ? current.headers.get('etag') : null;
    await current.body?.cancel();
    const res = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth, ...(etag ? { 'if-match': etag } : {}) },
      body: JSON.stringify(product),
    });
    if (res.ok) return;
    last = `${res.status}: ${await res.text()}`;
    // 412: changed since the read; 428: created by someone else since the 404. Read again.
    if (res.status !== 412 && res.status !== 428) break;
  }
  throw new Error(`PUT /v1/products/${sku} answered ${last}`);
}

/**
 * Places `count` orders a few at a time and waits, through the completion events, until each
 * has ended. Returns the completed ones; the pools are taken from them.
 */
export async function prepareOrders(opts: {
  baseUrl: string;
  runId: string;
  count: number;
  catalogue: Product[];
  tokens: Tokens;
  watcher: CompletionWatcher;
  timeoutMs: number;
}): Promise<PreparedOrder[]> {
  const placed: PreparedOrder[] = [];
  let next = 0;
  const placeOne = async () => {
    for (let i = next++; i < opts.count; i = next++) {
      const customer = i % opts.tokens.customers.length;
      const res = await fetch(`${opts.baseUrl}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${opts.tokens.customers[customer]}`,
          'content-type': 'application/json',
          'idempotency-key': `${opts.runId}-prepare-${i}`,
        },
        body: JSON.stringify({ items: orderItems(opts.catalogue, i), paymentMethod: 'pm_card_visa' }),
      });
      if (res.status !== 202)
        throw new Error(`setup: placing an order answered ${res.status}: ${await res.text()}`);
      const { orderId } = (await res.json()) as { orderId: string };
      placed.push({ orderId, customer });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, opts.count) }, placeOne));
  const open = await opts.watcher.waitFor(
    placed.map((p) => p.orderId),
    opts.timeoutMs,
  );
  if (open.length > 0) throw new Error(`setup: ${open.length} prepared orders did not end in time`);
  const completed = placed.filter((p) => opts.watcher.terminal.get(p.orderId)?.outcome === 'COMPLETED');
  if (completed.length < placed.length)
    console.warn(`bench: ${placed.length - completed.length} prepared orders did not complete; left out`);
  return completed;
}

/** Splits prepared orders: cancels get what they need (they act once each), the rest is for refunds and follows. */
export function splitPools(
  prepared: PreparedOrder[],
  cancelsNeeded: number,
): { cancelPool: PreparedOrder[]; refundPool: PreparedOrder[] } {
  const cancelCount = Math.min(cancelsNeeded, Math.max(0, prepared.length - 1));
  return { cancelPool: prepared.slice(0, cancelCount), refundPool: prepared.slice(cancelCount) };
}
