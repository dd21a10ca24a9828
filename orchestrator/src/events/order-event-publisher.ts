// Publishes order domain events to Kafka: idempotent producer (no broker-side duplicates on
// retry), keyed by order id (one order's events stay in order on one partition), validated
// against the shared schema before sending.
import type { Kafka, Producer } from 'kafkajs';
import { activeTraceparent } from '@orders/platform';
import { ORDER_EVENTS_TOPIC, parseOrderEvent, type OrderEvent } from '@orders/platform/events';

export interface OrderEventPublisher {
  publish(event: OrderEvent, headers?: Record<string, string>): Promise<void>;
  disconnect(): Promise<void>;
}

export async function createOrderEventPublisher(
  kafka: Kafka,
  topic = ORDER_EVENTS_TOPIC,
): Promise<OrderEventPublisher> {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
  });
  await producer.connect();
  return {
    async publish(event, headers = {}) {
      // The envelope keeps the publishing activity's trace context too (the kafkajs
      // instrumentation replaces the header with its send span's), for consumers that get the
      // event without its headers.
      const valid = parseOrderEvent({ ...event, traceparent: event.traceparent ?? activeTraceparent() });
      await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: valid.orderId,
            value: JSON.stringify(valid),
            headers: {
              'event-id': valid.id,
              'event-type': valid.type,
              ...(valid.traceparent ? { traceparent: valid.traceparent } : {}),
              ...headers,
            },
          },
        ],
      });
    },
    disconnect: () => producer.disconnect(),
  };
}
