// The requests vegeta sends, generated one at a time as vegeta reads them (-lazy), so every
// placement and refund carries its own Idempotency-Key: replaying one body would measure the
// idempotency shortcut instead of a new saga.
import type { Action, Mix, Product } from './scenarios';
import { ACTIONS } from './scenarios';

/** vegeta's JSON target format (`-format=json`): the body is base64. */
export interface VegetaTarget {
  method: 'GET' | 'POST';
  url: string;
  header: Record<string, string[]>;
  body?: string;
}

/** An order placed and completed in the setup phase, for follow / cancel / refund to act on. */
export interface PreparedOrder {
  orderId: string;
  /** Index into the customer tokens: only the owner may follow or cancel it. */
  customer: number;
}

export interface TargetContext {
  baseUrl: string;
  /** Prefix of every Idempotency-Key, unique per run. */
  runId: string;
  catalogue: Pick<Product, 'sku' | 'maxPerOrder'>[];
  customerTokens: string[];
  supportToken: string;
  mix: Mix;
  /** Disjoint pools: an order cancelled cannot be refunded, and a cancel acts once. */
  cancelPool: PreparedOrder[];
  refundPool: PreparedOrder[];
}

export interface GeneratedTarget {
  action: Action;
  target: VegetaTarget;
}

/**
 * Smooth weighted round-robin (the nginx algorithm): the sequence of actions follows the mix
 * exactly over any window, without the clumps a random draw would give a short run.
 */
export function actionPicker(mix: Mix): () => Action {
  const weights = ACTIONS.map((a) => ({ action: a, weight: mix[a], current: 0 })).filter((w) => w.weight > 0);
  if (weights.length === 0) throw new Error('the mix has no action with a positive share');
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  return () => {
    let best = weights[0]!;
    for (const w of weights) {
      w.current += w.weight;
      if (w.current > best.current) best = w;
    }
    best.current -= total;
    return best.action;
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const bearer = (token: string) => [`Bearer ${token}`];

export function* targetStream(ctx: TargetContext): Generator<GeneratedTarget, never> {
  const pick = actionPicker(ctx.mix);
  if (ctx.customerTokens.length === 0) throw new Error('no customer tokens');
  const needsPool = (a: Action) => ctx.mix[a] > 0;
  if (needsPool('cancel') && ctx.cancelPool.length === 0) throw new Error('cancel needs prepared orders');
  if ((needsPool('refund') || needsPool('follow')) && ctx.refundPool.length === 0)
    throw new Error('follow and refund need prepared orders');
  const seq: Record<Action, number> = { place: 0, follow: 0, cancel: 0, refund: 0 };
  const { baseUrl } = ctx;
  for (;;) {
    const action = pick();
    const n = seq[action]++;
    switch (action) {
      case 'place': {
        const customer = n % ctx.customerTokens.length;
        yield {
          action,
          target: {
            method: 'POST',
            url: `${baseUrl}/v1/orders`,
            header: {
              Authorization: bearer(ctx.customerTokens[customer]!),
              'Content-Type': ['application/json'],
              'Idempotency-Key': [`${ctx.runId}-place-${n}`],
            },
            body: json({ items: orderItems(ctx.catalogue, n), paymentMethod: 'pm_card_visa' }),
          },
        };
        break;
      }
      case 'follow': {
        // Follows read the refund pool: reading a cancelled order is as cheap, and the pool is larger.
        const order = ctx.refundPool[n % ctx.refundPool.length]!;
        yield {
          action,
          target: {
            method: 'GET',
            url: `${baseUrl}/v1/orders/${order.orderId}`,
            header: { Authorization: bearer(ctx.customerTokens[order.customer]!) },
          },
        };
        break;
      }
      case 'cancel': {
        // Wraps around only if the pool was undersized; the repeat answers 409 and counts as an error.
        const order = ctx.cancelPool[n % ctx.cancelPool.length]!;
        yield {
          action,
          target: {
            method: 'POST',
            url: `${baseUrl}/v1/orders/${order.orderId}/cancel`,
            header: {
              Authorization: bearer(ctx.customerTokens[order.customer]!),
              'Content-Type': ['application/json'],
            },
            body: json({ reason: 'bench: changed my mind' }),
          },
        };
        break;
      }
      case 'refund': {
        // One cent at a time: an order's total covers thousands of refunds, so none exceeds the capture.
        const order = ctx.refundPool[n % ctx.refundPool.length]!;
        yield {
          action,
          target: {
            method: 'POST',
            url: `${baseUrl}/v1/orders/${order.orderId}/refunds`,
            header: {
              Authorization: bearer(ctx.supportToken),
              'Content-Type': ['application/json'],
              'Idempotency-Key': [`${ctx.runId}-refund-${n}`],
            },
            body: json({ amount: 1, reason: 'bench: goodwill refund' }),
          },
        };
        break;
      }
    }
  }
}

/** One or two catalogue lines, varied by sequence so orders touch every SKU. */
export function orderItems(
  catalogue: Pick<Product, 'sku' | 'maxPerOrder'>[],
  n: number,
): { sku: string; quantity: number }[] {
  const first = catalogue[n % catalogue.length]!;
  const items = [{ sku: first.sku, quantity: Math.min(1 + (n % 2), first.maxPerOrder) }];
  const second = catalogue[(n + 1) % catalogue.length]!;
  if (n % 3 === 0 && second.sku !== first.sku) items.push({ sku: second.sku, quantity: 1 });
  return items;
}

/** Which action a vegeta result belongs to, from its method and URL. */
export function actionOf(method: string, url: string): Action | undefined {
  const path = new URL(url).pathname;
  if (method === 'POST' && path === '/v1/orders') return 'place';
  if (method === 'GET' && /^\/v1\/orders\/[^/]+$/.test(path)) return 'follow';
  if (method === 'POST' && path.endsWith('/cancel')) return 'cancel';
  if (method === 'POST' && path.endsWith('/refunds')) return 'refund';
  return undefined;
}

/** The statuses that count as success for each action (anything else is an error). */
export const EXPECTED_STATUS: Record<Action, number[]> = {
  place: [202],
  follow: [200],
  cancel: [200, 202],
  refund: [201, 202],
};
