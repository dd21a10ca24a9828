// Clients of the real stack for the integration tests: private Kafka topics, mailpit's API, the
// service's HTTP API, and one running service per test file.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { createKafka } from '@orders/platform';
import type { OrderEvent } from '@orders/platform/events';
import type { NotificationConfig } from '../src/config';
import { startNotificationService, type NotificationService } from '../src/service';
import {
  eventMessage,
  eventually,
  internalHeaders,
  stackVar,
  testConfig,
  testLogger,
  type RawMessage,
} from './support';
import { mailpitClient, type MailMessage } from '@orders/stack/mailpit-client';

export interface TestService {
  config: NotificationConfig;
  service: NotificationService;
  kafka: TestKafka;
  /** Publishes events as the orchestrator does, in order, on the service's topic. */
  send(...events: OrderEvent[]): Promise<void>;
  stop(): Promise<void>;
}

/** One service on private topics and group; start it in `before`, stop it in `after`. */
export async function startTestService(overrides: Record<string, string> = {}): Promise<TestService> {
  const config = testConfig(overrides);
  const kafka = await connectTestKafka([config.ORDER_EVENTS_TOPIC, config.ORDER_EVENTS_DLQ_TOPIC]);
  try {
    const service = await startNotificationService(config, { logger: testLogger });
    return {
      config,
      service,
      kafka,
      send: (...events) => produce(kafka.producer, config.ORDER_EVENTS_TOPIC, events.map(eventMessage)),
      async stop() {
        await service.stop();
        await kafka.close();
      },
    };
  } catch (err) {
    await kafka.close();
    throw err;
  }
}

export interface TestKafka {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  close(): Promise<void>;
}

export async function connectTestKafka(topics: string[]): Promise<TestKafka> {
  const kafka = createKafka(
    `notification-test-${randomUUID()}`,
    stackVar('KAFKA_BROKERS').split(','),
    testLogger,
  );
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: 2 })),
    waitForLeaders: true,
  });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    kafka,
    admin,
    producer,
    async close() {
      await producer.disconnect();
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

export async function produce(producer: Producer, topic: string, messages: RawMessage[]): Promise<void> {
  await producer.send({ topic, messages });
}

/** The stack's mailpit, through the one shared client. */
const mailpit = () => mailpitClient(stackVar('MAILPIT_URL'));
export type { MailMessage, MailSummary } from '@orders/stack/mailpit-client';
export const searchMail = (query: string) => mailpit().search(query);
export const mailTo = (address: string) => mailpit().to(address);
export const readMail = (id: string) => mailpit().read(id);

export interface NotificationItem {
  eventId: string;
  orderId: string;
  type: string;
  status: string;
  recipient: string;
  subject: string | null;
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export async function listNotifications(baseUrl: string, orderId: string): Promise<NotificationItem[]> {
  const res = await fetch(`${baseUrl}/v1/notifications?orderId=${encodeURIComponent(orderId)}`, {
    headers: internalHeaders(),
  });
  if (res.status !== 200) throw new Error(`GET /v1/notifications answered ${res.status}`);
  return ((await res.json()) as { items: NotificationItem[] }).items;
}

/** Waits until the service has finished the event (SENT or SKIPPED). */
export function processed(baseUrl: string, orderId: string, id: string): Promise<NotificationItem> {
  return eventually(`event ${id} processed`, async () => {
    const item = (await listNotifications(baseUrl, orderId)).find((i) => i.eventId === id);
    return item && item.status !== 'SENDING' ? item : undefined;
  });
}

/** Waits for the e-mail to `address`, checks it is the only one, and returns it in full. */
export async function theOnlyMailTo(address: string): Promise<MailMessage> {
  const [summary, ...others] = await eventually(`mail to ${address}`, async () => {
    const found = await mailTo(address);
    return found.length > 0 ? found : undefined;
  });
  assert.ok(summary);
  assert.equal(others.length, 0, `exactly one e-mail to ${address}`);
  return readMail(summary.ID);
}

export interface ConsumedMessage {
  key: string | null;
  value: string | null;
  partition: number;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning with a fresh group until `count` messages match `filter`. */
export async function consumeUntil(
  kafka: Kafka,
  topic: string,
  count: number,
  filter: (m: ConsumedMessage) => boolean = () => true,
): Promise<ConsumedMessage[]> {
  const consumer = kafka.consumer({ groupId: `notification-test-reader-${randomUUID()}` });
  await consumer.connect();
  const found: ConsumedMessage[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {}))
          if (value !== undefined)
            headers[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
        const consumed = {
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          partition,
          headers,
        };
        if (filter(consumed)) found.push(consumed);
      },
    });
    await eventually(`${count} message(s) on ${topic}`, async () =>
      found.length >= count ? true : undefined,
    );
    return found;
  } finally {
    await consumer.disconnect();
  }
}
