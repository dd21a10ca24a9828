// One iteration = one action of the scenario's mix: a shopper places an order, follows one of
// their orders, places and at once cancels one (the saga compensates mid-flight or refunds),
// or support refunds part of a completed order that setup prepared.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import {
  cancelOrder,
  getOrder,
  isTerminal,
  placeOrder,
  refundOrder,
  type PlaceOrderBody,
} from './order-api.ts';
import type { RunData } from './lifecycle.ts';
import { METRICS, pickAction, type Action, type Product } from './scenario-options.ts';
import type { RunSettings } from './settings.ts';

const accepted = new Counter(METRICS.accepted);

/** This VU's latest placements, which `follow` watches (each VU has its own copy). */
const recent: { orderId: string; token: string }[] = [];
const RECENT_KEPT = 20;

export function runIteration(settings: RunSettings, data: RunData): void {
  const iteration = exec.scenario.iterationInTest;
  const action = pickAction(settings.scenario.mix, iteration);
  // Round-robin over the customers keeps each under the per-customer placement limit.
  const token = data.customers[iteration % data.customers.length] ?? '';
  ACTION[action](settings, data, token, iteration);
}

const ACTION: Record<
  Action,
  (settings: RunSettings, data: RunData, token: string, iteration: number) => void
> = {
  place(settings, _data, token) {
    place(settings, token);
  },

  follow(settings, data, token, iteration) {
    const mine = recent.shift();
    const prepared = data.prepared[iteration % Math.max(1, data.prepared.length)];
    // Support may read any order; a prepared one stands in until this VU has placed its own.
    const target =
      mine ?? (prepared && data.support ? { orderId: prepared.orderId, token: data.support } : undefined);
    const followed = target ?? placed(settings, token);
    if (!followed) return;
    for (let poll = 0; poll < settings.followPolls; poll++) {
      const { res, order } = getOrder(settings.baseUrl, followed.token, followed.orderId);
      check(res, { 'order read (200)': (r) => r.status === 200 });
      if (!order || isTerminal(order.status)) return;
      sleep(settings.followIntervalSeconds);
    }
  },

  cancel(settings, _data, token) {
    const order = placed(settings, token);
    if (!order) return;
    const res = cancelOrder(settings.baseUrl, token, order.orderId, 'load test: changed my mind');
    check(res, { 'cancel accepted (200/202)': (r) => r.status === 200 || r.status === 202 });
  },

  refund(settings, data, _token, iteration) {
    // Round-robin spreads small refunds over the prepared orders, far below each one's total.
    const order = data.prepared[iteration % data.prepared.length];
    if (!order || !data.support) return;
    const amount = Math.min(settings.refundAmount, order.total);
    const res = refundOrder(settings.baseUrl, data.support, order.orderId, amount, 'load test: goodwill');
    check(res, { 'refund accepted (201/202)': (r) => r.status === 201 || r.status === 202 });
  },
};

function place(settings: RunSettings, token: string): void {
  const order = placed(settings, token);
  if (!order) return;
  recent.push(order);
  if (recent.length > RECENT_KEPT) recent.shift();
}

function placed(settings: RunSettings, token: string): { orderId: string; token: string } | undefined {
  const { res, orderId } = placeOrder(settings.baseUrl, token, randomOrder(settings));
  check(res, { 'order accepted (202)': (r) => r.status === 202 });
  if (!orderId) return undefined;
  accepted.add(1);
  return { orderId, token };
}

/** One to all of the catalogue's products, one or two of each. */
function randomOrder(settings: RunSettings): PlaceOrderBody {
  const shuffled = [...settings.catalogue].sort(() => Math.random() - 0.5);
  const count = 1 + Math.floor(Math.random() * shuffled.length);
  return {
    items: shuffled.slice(0, count).map((p: Product) => ({
      sku: p.sku,
      quantity: Math.min(p.maxPerOrder, 1 + Math.floor(Math.random() * 2)),
    })),
    paymentMethod: settings.paymentMethod,
  };
}
