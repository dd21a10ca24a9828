// Domain events leave the workflow through activities: the workflow assigns the event id
// (order id + sequence), so a retried publish re-sends the same event and consumers drop it.
// Most events ride with the saga's next step (`announceFirst`): the step's activity publishes
// events of facts that already happened, then does its own work — one task instead of two.
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import type { OrderEvent } from '@orders/platform/events';
import type { OrderEventPublisher } from '../events/order-event-publisher';

/** Publishes one event; a schema violation fails the activity for good. */
export async function publishOrderEvent(publisher: OrderEventPublisher, event: OrderEvent): Promise<void> {
  try {
    await publisher.publish(event);
  } catch (err) {
    // A schema violation is a bug in the workflow, not a broker hiccup: retrying cannot fix it.
    if (err instanceof ZodError)
      throw ApplicationFailure.nonRetryable(`invalid ${event.type} event: ${err.message}`, 'INVALID_EVENT');
    throw err;
  }
}

/** An event as the support console's timeline names it. */
export type EventRef = Pick<OrderEvent, 'id' | 'type' | 'occurredAt'>;

/** What a step's activity answers about the events it carried. */
export interface Announced {
  /** Every carried event is out (true when it carried none). */
  announced: boolean;
  /**
   * The events it carried (or, for the outcome's record, published): a local activity's marker
   * keeps its result but not its arguments, and the support console reads a saga's events there.
   */
  events?: EventRef[];
}

export const eventRefs = (events: OrderEvent[] | undefined): EventRef[] =>
  (events ?? []).map(({ id, type, occurredAt }) => ({ id, type, occurredAt }));

/**
 * How long a step waits for Kafka before it gives its events back to the saga. The step's own
 * work must not wait on a broker outage: the saga then publishes them in activities of their own,
 * retried until the broker is back, and a send still under way re-sends the same ids.
 */
export const ANNOUNCE_DEADLINE_MS = 2_000;

/**
 * Publishes events a step carries (facts that happened before the step was scheduled) in
 * order, before the step's own work. Never throws for Kafka: a step does not fail because an
 * announcement could not go out; `announced: false` hands them back to the saga.
 */
export async function announceFirst(
  publisher: OrderEventPublisher,
  events: OrderEvent[] | undefined,
  deadlineMs = ANNOUNCE_DEADLINE_MS,
): Promise<Announced> {
  const carried = events?.length ? { events: eventRefs(events) } : {};
  for (const event of events ?? []) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not take ${event.id} within ${deadlineMs} ms`)),
        deadlineMs,
      );
    });
    try {
      await Promise.race([publishOrderEvent(publisher, event), deadline]);
    } catch (err) {
      if (err instanceof ApplicationFailure) throw err;
      warnUnannounced(err, event);
      return { announced: false, ...carried };
    } finally {
      clearTimeout(timer);
    }
  }
  return { announced: true, ...carried };
}

/** The activity's log line for an announcement handed back (the saga re-sends it). */
function warnUnannounced(err: unknown, event: OrderEvent): void {
  log.warn('event handed back to the saga: Kafka did not take it in time', {
    eventId: event.id,
    eventType: event.type,
    error: err instanceof Error ? err.message : String(err),
  });
}

export function eventActivities(publisher: OrderEventPublisher) {
  return {
    publishEvent: (event: OrderEvent): Promise<void> => publishOrderEvent(publisher, event),
  };
}
