// The consistency audit: read every source (collect/), run the pure checks (checks/), report.
// `runAudit` is what the CLI and the chaos tool call.
import { setTimeout as sleep } from 'node:timers/promises';
import { TRAILING_CHECKS, runChecks } from './checks';
import { pendingRefundCount } from './checks/pending-refunds';
import { inFlightOrders } from './checks/terminal';
import { readInventory } from './collect/inventory';
import { readTopic } from './collect/kafka';
import { readMail } from './collect/mail';
import { readOrders } from './collect/orders';
import { readPayments } from './collect/payments';
import { readStripe } from './collect/stripe';
import { isTerminal, type AuditData, type CheckName, type InFlightOrder, type Violation } from './model';
import type { AuditOptions } from './options';

export type { AuditOptions } from './options';
export { resolveOptions, UsageError } from './options';
export { SourceError } from './collect/source-error';
export type { CheckName, InFlightOrder, Violation } from './model';

export interface AuditReport {
  ok: boolean;
  scope: {
    since: string | null;
    customerPrefix: string | null;
    topic: string;
    pendingRefundMinutes: number;
    stockBaselineSkus: string[] | null;
    requireTerminal: boolean;
  };
  counts: {
    orders: number;
    ordersByStatus: Record<string, number>;
    inFlight: number;
    skus: number;
    reservations: number;
    paymentIntents: number;
    stripeRefunds: number;
    pendingRefunds: number;
    topicMessages: number;
    events: number;
    emails: number;
  };
  checks: { check: CheckName; checked: number; violations: number }[];
  inFlight: InFlightOrder[];
  violations: Violation[];
  startedAt: string;
  durationMs: number;
}

const POLL_MS = 2_000;
/** How long, once every order is terminal, events and e-mails may take to catch up. */
const TRAILING_GRACE_MS = 120_000;

export async function collect(options: AuditOptions): Promise<AuditData> {
  const progress = options.progress ?? (() => undefined);
  const { sources } = options;
  const now = new Date();
  const orders = await readOrders(sources.ordersDb, options);
  progress(`orders: ${orders.length} in scope`);
  const scoped = options.since !== null || options.customerPrefix !== null;
  const ids = new Set(orders.map((o) => o.id));
  const skus = scoped
    ? [
        ...new Set([
          ...orders.flatMap((o) => o.items.map((i) => i.sku)),
          ...Object.keys(options.stockBaseline ?? {}),
        ]),
      ]
    : null;
  const [payments, inventory, stripe, messages, mails] = await Promise.all([
    readPayments(sources.paymentsDb, scoped ? [...ids] : null),
    readInventory(sources.inventoryDb, skus),
    readStripe(sources.stripe, options.since, (orderId) => ids.has(orderId), progress),
    readTopic({ brokers: sources.kafkaBrokers, topic: options.topic }, progress),
    readMail(
      sources.mailpitUrl,
      { since: options.since, recipients: new Set(orders.map((o) => o.customerEmail.toLowerCase())) },
      progress,
    ),
  ]);
  progress(
    `read: ${payments.payments.length} payments, ${inventory.products.length} SKUs, ${stripe.intents.length} PaymentIntents, ${messages.length} topic messages, ${mails.length} e-mails`,
  );
  return {
    now,
    orders,
    payments: payments.payments,
    refunds: payments.refunds,
    products: inventory.products,
    reservations: inventory.reservations,
    stockAdjustments: inventory.stockAdjustments,
    intents: stripe.intents,
    stripeRefunds: stripe.refunds,
    messages,
    mails,
  };
}

export function report(data: AuditData, options: AuditOptions, startedAt: Date): AuditReport {
  const results = runChecks(data, {
    since: options.since,
    pendingRefundMinutes: options.pendingRefundMinutes,
    requireTerminal: options.requireTerminal,
    stockBaseline: options.stockBaseline,
  });
  const violations = results.flatMap((r) => r.violations);
  const ordersByStatus: Record<string, number> = {};
  for (const order of data.orders) ordersByStatus[order.status] = (ordersByStatus[order.status] ?? 0) + 1;
  const inScope = new Set(data.orders.map((o) => o.id));
  const inFlight = inFlightOrders(data);
  return {
    ok: violations.length === 0,
    scope: {
      since: options.since?.toISOString() ?? null,
      customerPrefix: options.customerPrefix,
      topic: options.topic,
      pendingRefundMinutes: options.pendingRefundMinutes,
      stockBaselineSkus: options.stockBaseline ? Object.keys(options.stockBaseline) : null,
      requireTerminal: options.requireTerminal,
    },
    counts: {
      orders: data.orders.length,
      ordersByStatus,
      inFlight: inFlight.length,
      skus: data.products.length,
      reservations: new Set(data.reservations.map((r) => r.orderId)).size,
      paymentIntents: data.intents.length,
      stripeRefunds: data.stripeRefunds.length,
      pendingRefunds: pendingRefundCount(data),
      topicMessages: data.messages.length,
      events: data.messages.filter((m) => m.orderId !== null && inScope.has(m.orderId)).length,
      emails: data.mails.length,
    },
    checks: results.map((r) => ({ check: r.check, checked: r.checked, violations: r.violations.length })),
    inFlight,
    violations,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const startedAt = new Date();
  const progress = options.progress ?? (() => undefined);
  if (options.waitTerminalSeconds === null) return report(await collect(options), options, startedAt);

  const deadline = startedAt.getTime() + options.waitTerminalSeconds * 1000;
  for (;;) {
    const orders = await readOrders(options.sources.ordersDb, options);
    const waiting = orders.filter((o) => !isTerminal(o.status)).length;
    if (waiting === 0 || Date.now() >= deadline) break;
    progress(
      `waiting: ${waiting} of ${orders.length} orders in flight (${Math.ceil((deadline - Date.now()) / 1000)}s left)`,
    );
    await sleep(POLL_MS);
  }
  // The final event and its e-mail leave after the order record is written: give them a moment.
  const trailingDeadline = Math.min(deadline, Date.now() + TRAILING_GRACE_MS);
  for (;;) {
    const result = report(await collect(options), options, startedAt);
    const trailing = result.violations.filter((v) => TRAILING_CHECKS.has(v.check));
    if (trailing.length === 0 || Date.now() >= trailingDeadline) return result;
    progress(`waiting: ${trailing.length} event / e-mail findings may still be in transit; reading again`);
    await sleep(POLL_MS);
  }
}
