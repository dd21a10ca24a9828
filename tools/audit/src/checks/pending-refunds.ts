// Check 8: a refund whose outcome at Stripe is not known yet (no Stripe refund id) is normal for
// a moment; one older than the limit means nothing is settling it.
import type { AuditData, CheckResult, CheckSettings } from '../model';

export function checkPendingRefunds(data: AuditData, settings: CheckSettings): CheckResult {
  const limitMs = settings.pendingRefundMinutes * 60_000;
  const violations = data.refunds
    .filter((r) => r.refundId === null && data.now.getTime() - r.createdAt.getTime() > limitMs)
    .map((r) => ({
      check: 'pending-refunds' as const,
      orderId: r.orderId,
      detail: `refund ${r.idempotencyKey} of ${r.amount} pending for ${Math.round((data.now.getTime() - r.createdAt.getTime()) / 60_000)} min (limit ${settings.pendingRefundMinutes})`,
    }));
  return { check: 'pending-refunds', checked: data.refunds.length, violations };
}

export const pendingRefundCount = (data: Pick<AuditData, 'refunds'>) =>
  data.refunds.filter((r) => r.refundId === null).length;
