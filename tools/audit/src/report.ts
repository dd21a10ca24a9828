// The audit report for people: one line per check (what it looked at, how many violations, the
// first few), the orders still in flight, and the verdict. `--json` prints the report object.
import type { AuditReport } from './audit';

const DETAILS_PER_CHECK = 5;
const IN_FLIGHT_SHOWN = 10;

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

export function humanReport(report: AuditReport): string {
  const lines: string[] = [];
  const { scope, counts } = report;
  const statuses = Object.entries(counts.ordersByStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  lines.push(
    `audit of ${counts.orders} orders${statuses ? ` (${statuses})` : ''}` +
      `${scope.since ? ` created since ${scope.since}` : ''}` +
      `${scope.customerPrefix ? `, customers ${scope.customerPrefix}*` : ''}, topic ${scope.topic}`,
  );
  lines.push(
    `read ${counts.skus} SKUs, ${counts.reservations} reservations, ${counts.paymentIntents} PaymentIntents, ` +
      `${counts.stripeRefunds} Stripe refunds, ${counts.events} events (${counts.topicMessages} on the topic), ` +
      `${counts.emails} e-mails, ${counts.pendingRefunds} pending refunds`,
  );
  lines.push('');
  const width = Math.max(...report.checks.map((c) => c.check.length), 'check'.length) + 2;
  lines.push(`${pad('check', width)}${padLeft('checked', 8)}  ${padLeft('violations', 10)}`);
  for (const check of report.checks) {
    lines.push(
      `${pad(check.check, width)}${padLeft(String(check.checked), 8)}  ${padLeft(String(check.violations), 10)}`,
    );
    const mine = report.violations.filter((v) => v.check === check.check);
    for (const v of mine.slice(0, DETAILS_PER_CHECK)) {
      const subject = [v.orderId && `order ${v.orderId}`, v.sku && `SKU ${v.sku}`].filter(Boolean).join(', ');
      lines.push(`    - ${subject ? `${subject}: ` : ''}${v.detail}`);
    }
    if (mine.length > DETAILS_PER_CHECK)
      lines.push(`    … and ${mine.length - DETAILS_PER_CHECK} more (--json lists all)`);
  }
  if (report.inFlight.length > 0) {
    lines.push('');
    lines.push(
      `${report.inFlight.length} orders in flight${scope.requireTerminal ? '' : ' (not violations without --require-terminal)'}:`,
    );
    for (const o of report.inFlight.slice(0, IN_FLIGHT_SHOWN))
      lines.push(`    - ${o.orderId}: ${o.status}, ${o.ageSeconds}s old, ${o.why}`);
    if (report.inFlight.length > IN_FLIGHT_SHOWN)
      lines.push(`    … and ${report.inFlight.length - IN_FLIGHT_SHOWN} more`);
  }
  lines.push('');
  lines.push(
    report.ok
      ? `OK: no violations (${(report.durationMs / 1000).toFixed(1)}s)`
      : `FAILED: ${report.violations.length} violations in ${[...new Set(report.violations.map((v) => v.check))].join(', ')} (${(report.durationMs / 1000).toFixed(1)}s)`,
  );
  return `${lines.join('\n')}\n`;
}
