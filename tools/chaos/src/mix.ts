// What the run sells and what each order does: a catalogue of SKUs unique to the run (plenty
// of stock, plus a few scarce SKUs so some orders end OUT_OF_STOCK), and per order its items,
// card and the support action it will meet. All from the seed, so a run can be repeated.
import { intBetween, pick, type Random } from './random';

export interface Product {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  onHand: number;
  maxPerOrder: number;
}

export type OrderKind = 'normal' | 'decline' | 'scarce' | 'cancel' | 'refund';

export interface OrderPlan {
  index: number;
  kind: OrderKind;
  items: { sku: string; quantity: number }[];
  paymentMethod: string;
  /** cancel: how long after acceptance the customer cancels (during the saga). */
  cancelAfterMs?: number;
  /** refund: what support refunds once the order completed. */
  refund?: { amount: number; items?: { sku: string; quantity: number }[] };
}

/** The shares of the order kinds; the rest are plain orders. */
export const MIX = { decline: 0.1, scarce: 0.12, cancel: 0.08, refund: 0.12 } as const;

const PLENTIFUL = 6;
const SCARCE = 3;

export function catalogueFor(runId: string, orders: number, random: Random): Product[] {
  const tag = runId.toUpperCase();
  const plentiful = Array.from({ length: PLENTIFUL }, (_, i) => ({
    sku: `CHAOS-${tag}-P${i + 1}`,
    name: `Chaos plentiful ${i + 1}`,
    unitPrice: intBetween(random, 5, 60) * 100 - 1,
    currency: 'eur',
    // Every order could take two units of every line and never run out.
    onHand: Math.max(50, orders * 4),
    maxPerOrder: 10,
  }));
  // About a third of the scarce demand can be served: the rest fails at reserve, compensates, mails.
  const scarceDemand = (orders * MIX.scarce) / SCARCE;
  const scarce = Array.from({ length: SCARCE }, (_, i) => ({
    sku: `CHAOS-${tag}-S${i + 1}`,
    name: `Chaos scarce ${i + 1}`,
    unitPrice: intBetween(random, 20, 90) * 100 - 1,
    currency: 'eur',
    onHand: Math.max(2, Math.round(scarceDemand / 3)),
    maxPerOrder: 5,
  }));
  return [...plentiful, ...scarce];
}

export function kindOf(random: Random): OrderKind {
  let roll = random();
  for (const kind of ['decline', 'scarce', 'cancel', 'refund'] as const) {
    if (roll < MIX[kind]) return kind;
    roll -= MIX[kind];
  }
  return 'normal';
}

export function planOrders(count: number, catalogue: Product[], random: Random): OrderPlan[] {
  const plentiful = catalogue.filter((p) => p.sku.includes('-P'));
  const scarce = catalogue.filter((p) => p.sku.includes('-S'));
  const price = new Map(catalogue.map((p) => [p.sku, p.unitPrice]));
  return Array.from({ length: count }, (_, index) => {
    const kind = kindOf(random);
    const lines = intBetween(random, 1, 3);
    const skus = new Set<string>();
    while (skus.size < lines) skus.add(pick(random, plentiful).sku);
    const items = [...skus].map((sku) => ({ sku, quantity: intBetween(random, 1, 2) }));
    const plan: OrderPlan = { index, kind, items, paymentMethod: 'pm_card_visa' };
    switch (kind) {
      case 'decline':
        plan.paymentMethod = 'pm_card_chargeDeclined';
        break;
      case 'scarce':
        plan.items = [{ sku: pick(random, scarce).sku, quantity: 1 }, ...items.slice(0, 1)];
        break;
      case 'cancel':
        plan.cancelAfterMs = intBetween(random, 0, 1_500);
        break;
      case 'refund': {
        // Two units of the first line, so one unit back is a partial refund.
        const first = { ...items[0]!, quantity: 2 };
        plan.items = [first, ...items.slice(1)];
        const unit = price.get(first.sku)!;
        plan.refund =
          random() < 0.5
            ? { amount: unit, items: [{ sku: first.sku, quantity: 1 }] }
            : { amount: Math.max(1, Math.round(unit / 3)) };
        break;
      }
      case 'normal':
        break;
    }
    return plan;
  });
}

/** The stock baseline the audit checks conservation against: `{ SKU: on_hand_at_start }`. */
export const stockBaseline = (catalogue: Product[]): Record<string, number> =>
  Object.fromEntries(catalogue.map((p) => [p.sku, p.onHand]));
