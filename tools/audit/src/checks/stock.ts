// Check 2: stock. Per SKU the reserved counter is exactly what HELD reservations hold and
// 0 ≤ reserved ≤ on hand; per order, a FAILED or CANCELLED order keeps no stock and a COMPLETED
// one has committed its reservation; with a baseline, on hand is the baseline minus what was
// committed and not returned since, plus the stock adjustments made since.
import type { AuditData, CheckResult, CheckSettings, ReservationLine, Violation } from '../model';

const COMMITTED = new Set(['COMMITTED', 'RETURNED']);
const kept = (line: ReservationLine) =>
  COMMITTED.has(line.status) ? line.quantity - line.returnedQuantity : 0;

export function checkStock(data: AuditData, settings: CheckSettings): CheckResult {
  const violations: Violation[] = [];
  const add = (v: Omit<Violation, 'check'>) => violations.push({ check: 'stock', ...v });

  const held = new Map<string, number>();
  for (const line of data.reservations)
    if (line.status === 'HELD') held.set(line.sku, (held.get(line.sku) ?? 0) + line.quantity);

  for (const product of data.products) {
    const holding = held.get(product.sku) ?? 0;
    if (product.reserved !== holding)
      add({
        sku: product.sku,
        detail: `reserved counter is ${product.reserved}, HELD reservations hold ${holding}`,
      });
    if (product.reserved < 0 || product.onHand < product.reserved)
      add({
        sku: product.sku,
        detail: `on hand ${product.onHand}, reserved ${product.reserved}: must be on hand ≥ reserved ≥ 0`,
      });
  }

  if (settings.stockBaseline) {
    const products = new Map(data.products.map((p) => [p.sku, p]));
    for (const [sku, baseline] of Object.entries(settings.stockBaseline)) {
      const product = products.get(sku);
      if (!product) {
        add({ sku, detail: `in the stock baseline (${baseline}) but not in the catalogue` });
        continue;
      }
      const lines = data.reservations.filter(
        (line) => line.sku === sku && (settings.since === null || line.createdAt >= settings.since),
      );
      const sold = lines.reduce((sum, line) => sum + kept(line), 0);
      const adjusted = data.stockAdjustments
        .filter((a) => a.sku === sku && (settings.since === null || a.createdAt >= settings.since))
        .reduce((sum, a) => sum + a.delta, 0);
      const expected = baseline - sold + adjusted;
      if (product.onHand !== expected)
        add({
          sku,
          detail: `on hand ${product.onHand}, expected ${expected} (baseline ${baseline} − ${sold} committed and not returned over ${lines.length} reservations${adjusted ? `, ${adjusted > 0 ? '+' : '−'} ${Math.abs(adjusted)} adjusted` : ''})`,
        });
    }
  }

  const byOrder = new Map<string, ReservationLine[]>();
  for (const line of data.reservations)
    byOrder.set(line.orderId, [...(byOrder.get(line.orderId) ?? []), line]);
  let orders = 0;
  for (const order of data.orders) {
    if (order.status !== 'COMPLETED' && order.status !== 'FAILED' && order.status !== 'CANCELLED') continue;
    orders++;
    const lines = byOrder.get(order.id) ?? [];
    if (order.status === 'COMPLETED') {
      const uncommitted = lines.filter((l) => !COMMITTED.has(l.status));
      if (lines.length === 0 || uncommitted.length > 0)
        add({
          orderId: order.id,
          detail: `COMPLETED but its reservation is ${lines.length === 0 ? 'missing' : (uncommitted[0]?.status ?? '?')}, not COMMITTED`,
        });
      continue;
    }
    for (const line of lines) {
      if (line.status === 'HELD')
        add({ orderId: order.id, sku: line.sku, detail: `${order.status} but still holds ${line.quantity}` });
      else if (kept(line) > 0)
        add({
          orderId: order.id,
          sku: line.sku,
          detail: `${order.status} but ${kept(line)} of ${line.quantity} stay committed (${line.returnedQuantity} returned)`,
        });
    }
  }
  return { check: 'stock', checked: data.products.length + orders, violations };
}
