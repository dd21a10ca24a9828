// Kafka wiring for order events: decode, hand to the handler with in-process retries, and move
// what cannot be handled to the dead-letter topic so one bad message never blocks its partition.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Consumer, EachBatchHandler, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { ZodError } from 'zod';
import { contextFromKafkaHeaders, inSpan, type Logger } from '@orders/platform';
import { parseOrderEvent, type OrderEvent } from '@orders/platform/events';
import type { NotificationConfig } from '../config';
import { PermanentDeliveryError } from '../domain/errors';
import type { OrderEventHandler } from '../domain/handle-order-event';
import { backoffDelay, sleep } from '../backoff';
import type { NotificationMetrics } from '../notification-metrics';

export type ConsumerState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped';

export interface OrderEventsConsumer {
  start(): Promise<void>;
  /** Stops consuming; offsets of handled messages are committed, an interrupted one is redelivered. */
  stop(): Promise<void>;
  state(): ConsumerState;
}

export interface OrderEventsConsumerDeps {
  kafka: Kafka;
  /** Idempotent producer for the dead-letter topic, connected and closed by the caller. */
  dlqProducer: Producer;
  handle: OrderEventHandler;
  metrics: NotificationMetrics;
  logger: Logger;
  config: Pick<
    NotificationConfig,
    | 'ORDER_EVENTS_TOPIC'
    | 'ORDER_EVENTS_DLQ_TOPIC'
    | 'KAFKA_GROUP_ID'
    | 'KAFKA_FETCH_MAX_WAIT_MS'
    | 'KAFKA_FETCH_MIN_BYTES'
    | 'MAX_DELIVERY_ATTEMPTS'
    | 'RETRY_BACKOFF_MS'
  >;
}

/** Poison messages are `invalid-json` or `invalid-event`; failed deliveries `max-attempts-exceeded` or a permanent reason. */
type Decoded = { ok: true; event: OrderEvent } | { ok: false; reason: string; error: string };
type Outcome = 'handled' | 'dead-lettered' | 'interrupted';

const HEARTBEAT_EVERY_MS = 3_000;
const RELAUNCH_DELAY_MS = 5_000;

export function createOrderEventsConsumer(deps: OrderEventsConsumerDeps): OrderEventsConsumer {
  const { kafka, dlqProducer, handle, metrics, config } = deps;
  const logger = deps.logger.child({ component: 'order-events-consumer', topic: config.ORDER_EVENTS_TOPIC });
  const stopping = new AbortController();
  let state: ConsumerState = 'idle';
  let relaunchTimer: NodeJS.Timeout | undefined;

  const consumer: Consumer = kafka.consumer({
    groupId: config.KAFKA_GROUP_ID,
    maxWaitTimeInMs: config.KAFKA_FETCH_MAX_WAIT_MS,
    minBytes: config.KAFKA_FETCH_MIN_BYTES,
    // kafkajs asks this only for retriable crashes; always restart (the CRASH listener logs it).
    retry: { restartOnFailure: async () => true },
  });

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    state = 'running';
    logger.info(
      { memberId: payload.memberId, assigned: payload.memberAssignment },
      'joined the consumer group',
    );
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (stopping.signal.aborted) return;
    state = 'restarting';
    logger.error({ err: payload.error, restart: payload.restart }, 'order events consumer crashed');
    // kafkajs gives up on non-retriable errors; a notification consumer should never stay down.
    if (!payload.restart) relaunchTimer = setTimeout(() => void launch(), RELAUNCH_DELAY_MS);
  });
  consumer.on(consumer.events.STOP, () => {
    if (stopping.signal.aborted) state = 'stopped';
  });

  async function launch(): Promise<void> {
    if (stopping.signal.aborted) return;
    try {
      await consumer.connect();
      // From the beginning for a new group: an event published before the service first joined
      // is still owed an e-mail, and processed_events drops anything already handled.
      await consumer.subscribe({ topic: config.ORDER_EVENTS_TOPIC, fromBeginning: true });
      await consumer.run({ eachBatchAutoResolve: false, eachBatch: processBatch });
    } catch (err) {
      if (state === 'starting') throw err;
      logger.error({ err }, 'could not relaunch the order events consumer; trying again');
      relaunchTimer = setTimeout(() => void launch(), RELAUNCH_DELAY_MS);
    }
  }

  const processBatch: EachBatchHandler = async (payload) => {
    const { batch } = payload;
    const beat = () => payload.heartbeat();
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale() || stopping.signal.aborted) break;
      // Keeps the group session alive through slow SMTP and backoff waits.
      const ticker = setInterval(() => {
        beat().catch((err: unknown) => logger.debug({ err }, 'heartbeat failed'));
      }, HEARTBEAT_EVERY_MS);
      let outcome: Outcome;
      try {
        outcome = await processMessage(batch.topic, batch.partition, message);
      } finally {
        clearInterval(ticker);
      }
      // Left unresolved, an interrupted message is redelivered after the restart.
      if (outcome === 'interrupted') break;
      payload.resolveOffset(message.offset);
      // Committed now: handling a poison message again would put a second copy on the DLQ, and
      // unlike e-mails those are not deduplicated.
      if (outcome === 'dead-lettered') await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      else await payload.commitOffsetsIfNecessary();
      await beat();
    }
  };

  async function processMessage(topic: string, partition: number, message: KafkaMessage): Promise<Outcome> {
    const decoded = decode(message);
    // The kafkajs instrumentation gives each batch a "poll" span in a trace of its own; the
    // message's span continues the producer's trace instead (one order, one trace) and links
    // to that poll.
    const parent = contextFromKafkaHeaders(
      message.headers,
      decoded.ok ? decoded.event.traceparent : undefined,
    );
    const poll = trace.getSpanContext(context.active());
    return inSpan(
      'notification-consumer',
      `process ${topic}`,
      {
        parent,
        kind: SpanKind.CONSUMER,
        links: poll ? [{ context: poll }] : [],
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': message.offset,
          ...(decoded.ok
            ? { 'messaging.message.id': decoded.event.id, 'order.event.type': decoded.event.type }
            : {}),
        },
      },
      async (span) => {
        const outcome = await deliver(topic, partition, message, decoded);
        span.setAttribute('notification.outcome', outcome);
        if (outcome === 'dead-lettered')
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'moved to the DLQ' });
        return outcome;
      },
    );
  }

  async function deliver(
    topic: string,
    partition: number,
    message: KafkaMessage,
    decoded: Decoded,
  ): Promise<Outcome> {
    const coordinates = { partition, offset: message.offset };
    if (!decoded.ok) {
      await deadLetter(topic, partition, message, decoded.reason, decoded.error, 0);
      return 'dead-lettered';
    }
    const { event } = decoded;
    const context = {
      traceparent: headerText(message.headers, 'traceparent') ?? event.traceparent,
      source: `${topic}/${partition}@${message.offset}`,
    };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await handle(event, context);
          return 'handled';
        } catch (err) {
          const error = describe(err);
          if (err instanceof PermanentDeliveryError) {
            await deadLetter(topic, partition, message, err.reason, error, attempt);
            return 'dead-lettered';
          }
          if (config.MAX_DELIVERY_ATTEMPTS > 0 && attempt >= config.MAX_DELIVERY_ATTEMPTS) {
            await deadLetter(topic, partition, message, 'max-attempts-exceeded', error, attempt);
            return 'dead-lettered';
          }
          // Transient: the partition waits (the batch loop keeps heartbeating, so the group stays
          // healthy) and this event is retried until the relay or the database is back.
          metrics.retries.inc();
          metrics.blocked.set(1);
          const delay = backoffDelay(attempt, config.RETRY_BACKOFF_MS);
          const log =
            attempt <= 3 || attempt % 20 === 0 ? logger.warn.bind(logger) : logger.debug.bind(logger);
          log({ ...coordinates, eventId: event.id, attempt, delay, err }, 'delivery failed; retrying');
          if (!(await sleep(delay, stopping.signal))) return 'interrupted';
        }
      }
    } finally {
      metrics.blocked.set(0);
    }
  }

  async function deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: string,
    error: string,
    attempts: number,
  ): Promise<void> {
    const headers: IHeaders = {
      ...withoutUndefined(message.headers),
      'dlq-reason': reason,
      'dlq-error': error.slice(0, 1_000),
      'dlq-original-topic': topic,
      'dlq-original-partition': String(partition),
      'dlq-original-offset': message.offset,
      'dlq-failed-at': new Date().toISOString(),
      'dlq-attempts': String(attempts),
    };
    await dlqProducer.send({
      topic: config.ORDER_EVENTS_DLQ_TOPIC,
      messages: [{ key: message.key, value: message.value, headers, timestamp: message.timestamp }],
    });
    metrics.deadLettered.inc({ reason });
    logger.error({ partition, offset: message.offset, reason, error, attempts }, 'message moved to the DLQ');
  }

  return {
    async start() {
      state = 'starting';
      await launch();
    },
    async stop() {
      stopping.abort();
      clearTimeout(relaunchTimer);
      await consumer.disconnect();
      state = 'stopped';
    },
    state: () => state,
  };
}

function decode(message: KafkaMessage): Decoded {
  if (!message.value || message.value.length === 0)
    return { ok: false, reason: 'invalid-json', error: 'empty message value' };
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'invalid-json', error: describe(err) };
  }
  try {
    return { ok: true, event: parseOrderEvent(json) };
  } catch (err) {
    return { ok: false, reason: 'invalid-event', error: describe(err) };
  }
}

function describe(err: unknown): string {
  if (err instanceof ZodError)
    return err.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
  return err instanceof Error ? err.message : String(err);
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function withoutUndefined(headers: IHeaders | undefined): IHeaders {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([, v]) => v !== undefined));
}
