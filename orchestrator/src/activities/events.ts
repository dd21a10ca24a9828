// Domain events leave the workflow through this activity: the workflow assigns the event id
// (order id + sequence), so a retried publish re-sends the same event and consumers drop it.
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

export function eventActivities(publisher: OrderEventPublisher) {
  return {
    publishEvent: (event: OrderEvent): Promise<void> => publishOrderEvent(publisher, event),
  };
}
