// Check 1: every accepted order reached an outcome. An order still in flight is listed with why;
// it is a violation only when the caller requires every order to be terminal.
import {
  isTerminal,
  type AuditData,
  type CheckResult,
  type CheckSettings,
  type InFlightOrder,
} from '../model';

export function inFlightOrders(data: Pick<AuditData, 'orders' | 'now'>): InFlightOrder[] {
  return data.orders
    .filter((order) => !isTerminal(order.status))
    .map((order) => ({
      orderId: order.id,
      status: order.status,
      ageSeconds: Math.round((data.now.getTime() - order.createdAt.getTime()) / 1000),
      sagaStarted: order.sagaStartedAt !== null,
      why:
        order.sagaStartedAt === null
          ? 'accepted, its saga not started yet (the order service starts it)'
          : order.status === 'PENDING'
            ? 'saga running: before or during reserve / authorize'
            : 'saga running: confirmed, capture or commit not finished',
    }));
}

export function checkTerminal(data: AuditData, settings: CheckSettings): CheckResult {
  const violations = settings.requireTerminal
    ? inFlightOrders(data).map((o) => ({
        check: 'terminal' as const,
        orderId: o.orderId,
        detail: `still ${o.status} after ${o.ageSeconds}s (${o.why})`,
      }))
    : [];
  return { check: 'terminal', checked: data.orders.length, violations };
}
