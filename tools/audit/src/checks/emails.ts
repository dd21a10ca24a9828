// Check 7: exactly one e-mail per e-mailed event of a finished order. The notification service
// names the event in an `X-Order-Event-Id` header (and the order in `X-Order-Id`), which is what
// is counted; an e-mail naming an event the topic never carried is reported too.
import { isTerminal, type AuditData, type CheckResult, type Violation } from '../model';
import { eventsByOrder } from './events';

/** The event types the notification service e-mails (its templates). */
export const EMAILED_TYPES: ReadonlySet<string> = new Set([
  'OrderCompleted',
  'OrderFailed',
  'OrderCancelled',
  'OrderRefunded',
]);

export function checkEmails(data: AuditData): CheckResult {
  const violations: Violation[] = [];
  const mailsByEvent = new Map<string, number>();
  for (const mail of data.mails)
    if (mail.eventId) mailsByEvent.set(mail.eventId, (mailsByEvent.get(mail.eventId) ?? 0) + 1);

  const events = eventsByOrder(data.messages);
  const known = new Set<string>();
  let checked = 0;
  for (const order of data.orders) {
    for (const event of events.get(order.id) ?? []) known.add(event.id);
    if (!isTerminal(order.status)) continue;
    for (const event of events.get(order.id) ?? []) {
      if (!EMAILED_TYPES.has(event.type)) continue;
      checked++;
      const count = mailsByEvent.get(event.id) ?? 0;
      if (count !== 1)
        violations.push({
          check: 'emails',
          orderId: order.id,
          detail: `${event.type} ${event.id}: ${count === 0 ? 'no e-mail' : `${count} e-mails`}, expected exactly one`,
        });
    }
  }
  const orders = new Set(data.orders.map((o) => o.id));
  for (const [eventId, count] of mailsByEvent) {
    const orderId = data.mails.find((m) => m.eventId === eventId)?.orderId ?? null;
    if (known.has(eventId) || !orderId || !orders.has(orderId)) continue;
    violations.push({
      check: 'emails',
      orderId,
      detail: `${count} e-mail(s) for event ${eventId}, which is not on the topic`,
    });
  }
  return { check: 'emails', checked, violations };
}
