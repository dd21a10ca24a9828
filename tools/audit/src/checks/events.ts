// Check 6: each order's events on the topic. Sequences run 1..n without a gap, an event id always
// carries the same payload (a re-sent event is a harmless duplicate; a different one under the
// same id is not), and a finished order's last event says how it finished.
import {
  isTerminal,
  type AuditData,
  type CheckResult,
  type OrderStatus,
  type TopicMessage,
  type Violation,
} from '../model';

const FINAL_TYPES: Partial<Record<OrderStatus, string[]>> = {
  COMPLETED: ['OrderCompleted', 'OrderRefunded'],
  FAILED: ['OrderFailed'],
  CANCELLED: ['OrderCancelled'],
};

export type ValidEvent = NonNullable<TopicMessage['event']>;

/** One copy of each event id per order, ordered by sequence. */
export function eventsByOrder(messages: TopicMessage[]): Map<string, ValidEvent[]> {
  const byOrder = new Map<string, Map<string, ValidEvent>>();
  for (const { event } of messages) {
    if (!event) continue;
    const events = byOrder.get(event.orderId) ?? new Map<string, ValidEvent>();
    if (!events.has(event.id)) events.set(event.id, event);
    byOrder.set(event.orderId, events);
  }
  return new Map(
    [...byOrder].map(([orderId, events]) => [
      orderId,
      [...events.values()].sort((a, b) => a.sequence - b.sequence),
    ]),
  );
}

export function checkEvents(data: AuditData): CheckResult {
  const violations: Violation[] = [];
  const inScope = new Map(data.orders.map((o) => [o.id, o]));
  const add = (orderId: string, detail: string) => violations.push({ check: 'events', orderId, detail });

  const payloads = new Map<string, { orderId: string; seen: Set<string> }>();
  for (const message of data.messages) {
    if (!message.orderId || !inScope.has(message.orderId)) continue;
    const at = `partition ${message.partition} offset ${message.offset}`;
    if (!message.event) {
      add(message.orderId, `invalid event at ${at}: ${message.invalid ?? 'unreadable'}`);
      continue;
    }
    const { event } = message;
    if (event.id !== `${event.orderId}:${event.sequence}`)
      add(event.orderId, `event id ${event.id} does not match its sequence ${event.sequence} (${at})`);
    const entry = payloads.get(event.id) ?? { orderId: event.orderId, seen: new Set<string>() };
    entry.seen.add(event.payload);
    payloads.set(event.id, entry);
  }
  for (const [id, { orderId, seen }] of payloads)
    if (seen.size > 1) add(orderId, `event ${id} was published with ${seen.size} different payloads`);

  const byOrder = eventsByOrder(data.messages);
  for (const order of data.orders) {
    const events = byOrder.get(order.id) ?? [];
    const sequences = new Set(events.map((e) => e.sequence));
    const last = events.at(-1);
    const missing: number[] = [];
    for (let s = 1; s <= (last?.sequence ?? 0); s++) if (!sequences.has(s)) missing.push(s);
    if (missing.length > 0)
      add(order.id, `sequence has gaps: missing ${missing.slice(0, 10).join(', ')} of 1..${last?.sequence}`);
    if (!isTerminal(order.status)) continue;
    const expected = FINAL_TYPES[order.status] ?? [];
    if (!last) add(order.id, `${order.status} but no event on the topic`);
    else if (!expected.includes(last.type))
      add(
        order.id,
        `${order.status} but the last event is ${last.type} (#${last.sequence}); expected ${expected.join(' or ')}`,
      );
  }
  return { check: 'events', checked: data.orders.length, violations };
}
