// setup and teardown of a run. Setup makes the system ready for the scenario: the catalogue
// (huge stock, so a long run never sells out), the tokens, and completed orders for refunds.
// Teardown waits for every order of the run to become terminal, then records place ->
// COMPLETED from each order's own timestamps: the system's clock, not how often we polled.
import { check, fail, sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import {
  getOrder,
  isTerminal,
  listOwnOrders,
  placeOrder,
  putProduct,
  type OrderRecord,
  type PlaceOrderBody,
} from './order-api.ts';
import { METRICS, REQUEST_NAMES, scenarioSeconds } from './scenario-options.ts';
import type { RunSettings } from './settings.ts';
import { runTokens } from './tokens.ts';

export interface PreparedOrder {
  orderId: string;
  total: number;
}

/** What setup hands every VU and teardown (k6 copies it as JSON). */
export interface RunData {
  startedAt: string;
  customers: string[];
  support: string | undefined;
  minted: boolean;
  prepared: PreparedOrder[];
}

const completion = new Trend(METRICS.completion, true);
const terminal = new Rate(METRICS.terminal);
const ended = {
  COMPLETED: new Counter(METRICS.completed),
  FAILED: new Counter(METRICS.failed),
  CANCELLED: new Counter(METRICS.cancelled),
};

export function setupRun(settings: RunSettings, env: Record<string, string>): RunData {
  // Orders created from here on are the run's (given tokens may have older orders).
  const startedAt = new Date().toISOString();
  if (!settings.internalApiToken)
    fail(
      'the catalogue is upserted through the inventory service, which requires the internal token: pass -e INTERNAL_API_TOKEN=... (local-internal-token-change-me in development)',
    );
  for (const product of settings.catalogue) {
    const res = putProduct(settings.inventoryUrl, settings.internalApiToken, product);
    if (res.status !== 200 && res.status !== 201)
      fail(`PUT ${settings.inventoryUrl}/v1/products/${product.sku} answered ${res.status}: ${res.body}`);
  }
  const ttl = Math.ceil(
    scenarioSeconds(settings.scenario) +
      settings.timeouts.prepareSeconds +
      settings.timeouts.settleSeconds +
      3600,
  );
  let tokens;
  try {
    tokens = runTokens(env, settings.customers, ttl);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const refunds = (settings.scenario.mix.refund ?? 0) > 0;
  if (refunds && !tokens.support)
    fail(
      'the scenario refunds orders: pass -e SUPPORT_TOKEN=... (npm run -s token -- --role support --sub agent-1) or -e JWT_SECRET',
    );
  const prepared = refunds ? prepareOrders(settings, tokens.customers) : [];
  if (refunds && prepared.length === 0) fail('none of the orders prepared for refunds completed in time');
  console.log(
    `${settings.name}: ${settings.baseUrl}, ${tokens.customers.length} customer(s)${tokens.minted ? ' minted for this run' : ''}, ${prepared.length} completed order(s) prepared`,
  );
  return { startedAt, customers: tokens.customers, support: tokens.support, minted: tokens.minted, prepared };
}

/** Places the orders the refunds act on, and keeps those that complete in time. */
function prepareOrders(settings: RunSettings, customers: string[]): PreparedOrder[] {
  const wanted = settings.scenario.setup?.ordersToPrepare ?? 0;
  const body: PlaceOrderBody = {
    // Two of everything: a large total that many small refunds cannot exhaust.
    items: settings.catalogue.map((p) => ({ sku: p.sku, quantity: Math.min(2, p.maxPerOrder) })),
    paymentMethod: settings.paymentMethod,
  };
  const pending = new Map<string, string>();
  for (let i = 0; i < wanted; i++) {
    const token = customers[i % customers.length] ?? '';
    const { res, orderId } = placeOrder(settings.baseUrl, token, body, REQUEST_NAMES.prepare);
    if (orderId) pending.set(orderId, token);
    else console.warn(`prepare: placement answered ${res.status}: ${res.body}`);
  }
  const prepared: PreparedOrder[] = [];
  const deadline = Date.now() + settings.timeouts.prepareSeconds * 1000;
  while (pending.size > 0 && Date.now() < deadline) {
    sleep(1);
    for (const [orderId, token] of pending) {
      const { order } = getOrder(settings.baseUrl, token, orderId, REQUEST_NAMES.prepare);
      if (!order || !isTerminal(order.status)) continue;
      pending.delete(orderId);
      if (order.status === 'COMPLETED') prepared.push({ orderId, total: order.total });
    }
  }
  if (pending.size > 0)
    console.warn(`prepare: ${pending.size} order(s) not terminal after the prepare timeout`);
  return prepared;
}

export function teardownRun(settings: RunSettings, data: RunData): void {
  const orders = settle(settings, data);
  if (!orders) return;
  let done = 0;
  for (const order of orders) {
    const isDone = isTerminal(order.status);
    terminal.add(isDone);
    if (!isDone) continue;
    done++;
    ended[order.status as keyof typeof ended].add(1);
    if (order.status === 'COMPLETED')
      completion.add(Date.parse(order.updatedAt) - Date.parse(order.createdAt));
  }
  console.log(`${settings.name}: ${done} of ${orders.length} order(s) of the run terminal after settling`);
}

/**
 * The run's orders once they are all terminal, or as they are at the settle timeout.
 * A customer whose orders are all terminal is not listed again: the run placed its last order
 * before teardown started.
 */
function settle(settings: RunSettings, data: RunData): OrderRecord[] | undefined {
  const prepared = new Set(data.prepared.map((p) => p.orderId));
  // Minted customers are the run's own, so no time filter is needed (or skewed by clocks).
  const from = data.minted ? undefined : data.startedAt;
  const settled = new Map<string, OrderRecord[]>();
  let open = new Map<string, OrderRecord[]>();
  const deadline = Date.now() + settings.timeouts.settleSeconds * 1000;
  for (;;) {
    open = new Map();
    for (const token of data.customers) {
      if (settled.has(token)) continue;
      const orders = listOwnOrders(settings.baseUrl, token, from)?.filter((o) => !prepared.has(o.orderId));
      check(orders, { 'run orders listed (200)': (o) => o !== undefined });
      if (!orders) continue;
      (orders.every((o) => isTerminal(o.status)) ? settled : open).set(token, orders);
    }
    if (settled.size === data.customers.length || Date.now() >= deadline) break;
    sleep(2);
  }
  if (settled.size + open.size < data.customers.length) {
    console.error(`${settings.name}: could not list every customer's orders; no completion figures`);
    return undefined;
  }
  const all: OrderRecord[] = [];
  for (const orders of [...settled.values(), ...open.values()]) all.push(...orders);
  return all;
}
