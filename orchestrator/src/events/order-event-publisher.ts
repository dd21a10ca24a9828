// Publishes order domain events to Kafka: idempotent producer (no broker-side duplicates on
// retry), keyed by order id (one order's events stay in order on one partition), validated
// against the shared schema before sending.
import { ROOT_CONTEXT, isSpanContextValid, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { activeTraceparent } from '@orders/platform';
import { ORDER_EVENTS_TOPIC, parseOrderEvent, type OrderEvent } from '@orders/platform/events';

export interface OrderEventPublisher {
  publish(event: OrderEvent, headers?: Record<string, string>): Promise<void>;
  /** Resolves once the producer is connected; rejects while Kafka has not been reached yet. */
  ready(): Promise<void>;
  disconnect(): Promise<void>;
}

const RECONNECT_MAX_MS = 10_000;

/**
 * The producer connects in the background, retrying with backoff: a worker started while Kafka
 * is down still runs its sagas' other steps, and a publish fails retryably (Temporal retries the
 * activity) until the broker answers.
 */
export async function createOrderEventPublisher(
  kafka: Kafka,
  topic = ORDER_EVENTS_TOPIC,
  onConnectError: (err: unknown, attempt: number) => void = () => undefined,
): Promise<OrderEventPublisher> {
  const producer: Producer = kafka.producer({
    // Keyed by order id with Kafka's default (Java-compatible) partitioner, named so kafkajs
    // does not warn at start that its default changed in 2.0.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
  });
  let connected = false;
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (attempt: number): Promise<void> => {
    try {
      await producer.connect();
      connected = true;
    } catch (err) {
      if (closing) return;
      onConnectError(err, attempt);
      const delay = Math.min(RECONNECT_MAX_MS, 500 * 2 ** Math.min(attempt, 5));
      timer = setTimeout(() => void connect(attempt + 1), delay);
    }
  };
  void connect(1);
  const notConnected = () =>
    new Error(`Kafka not reached yet: event publishing to ${topic} waits for the broker`);
  return {
    ready: async () => {
      if (!connected) throw notConnected();
    },
    async publish(event, headers = {}) {
      if (!connected) throw notConnected();
      // The envelope keeps the saga step's trace context too (the kafkajs instrumentation
      // replaces the header with its send span's), for consumers that get the event without its
      // headers.
      const valid = parseOrderEvent({ ...event, traceparent: event.traceparent ?? stepTraceparent() });
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
    async disconnect() {
      closing = true;
      clearTimeout(timer);
      await producer.disconnect();
    },
  };
}

/**
 * The context the workflow gave the running activity (the parent of its RunActivity span), not
 * the span of this attempt: every attempt, and a local step run again after a lost workflow task,
 * has the same parent, so a re-sent event is the same bytes under the same id.
 */
function stepTraceparent(): string | undefined {
  const parent = (trace.getActiveSpan() as { parentSpanContext?: SpanContext } | undefined)
    ?.parentSpanContext;
  if (!parent || !isSpanContextValid(parent)) return activeTraceparent();
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpanContext(ROOT_CONTEXT, parent), carrier);
  return carrier.traceparent;
}
