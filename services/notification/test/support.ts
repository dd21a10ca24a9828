// Test plumbing without I/O: the stack's addresses, a private config, event builders, polling.
import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { createLogger } from '@orders/platform';
import { eventId, EVENT_SCHEMA_VERSION, type OrderEvent } from '@orders/platform/events';
import { loadNotificationConfig, type NotificationConfig } from '../src/config';

export { eventually } from '@orders/stack/testing';

export function stackVar(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: source the stack's env first (set -a; . .stack/dev/stack.env; set +a) or run npm test`,
    );
  return value;
}

export const testLogger = createLogger('notification-test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** The internal token of this test process's services (not the development default). */
export const TEST_INTERNAL_TOKEN = `notification-test-${randomUUID()}`;
export const internalHeaders = () => ({ authorization: `Bearer ${TEST_INTERNAL_TOKEN}` });

/** A config on private topics and a private group, so test files never see each other's messages. */
export function testConfig(overrides: Record<string, string> = {}): NotificationConfig {
  const run = randomUUID();
  return loadNotificationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    METRICS_PORT: '0',
    INTERNAL_API_TOKEN: TEST_INTERNAL_TOKEN,
    NOTIFICATIONS_DATABASE_URL: stackVar('NOTIFICATIONS_DATABASE_URL'),
    KAFKA_BROKERS: stackVar('KAFKA_BROKERS'),
    SMTP_HOST: stackVar('SMTP_HOST'),
    SMTP_PORT: stackVar('SMTP_PORT'),
    ORDER_EVENTS_TOPIC: `notification-test.${run}.events`,
    ORDER_EVENTS_DLQ_TOPIC: `notification-test.${run}.events.dlq`,
    KAFKA_GROUP_ID: `notification-test-${run}`,
    STORE_NAME: 'Test Shop',
    ...overrides,
  });
}

export interface RawMessage {
  key: string;
  value: string;
  headers?: IHeaders;
}

/** An event as the orchestrator publishes it: keyed by order id, traceparent in a header. */
export function eventMessage(event: OrderEvent): RawMessage {
  return {
    key: event.orderId,
    value: JSON.stringify(event),
    headers: {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'event-type': event.type,
    },
  };
}

export interface Customer {
  id: string;
  email: string;
  name?: string;
}

export function newCustomer(name = 'Ada Lovelace'): Customer {
  const id = randomUUID();
  return { id: `cus-${id}`, email: `shopper+${id}@example.test`, name };
}

export const newOrderId = () => `ord-${randomUUID()}`;

type DataOf<T extends OrderEvent['type']> = Extract<OrderEvent, { type: T }>['data'];

export function orderEvent<T extends OrderEvent['type']>(
  type: T,
  orderId: string,
  sequence: number,
  data: DataOf<T>,
): OrderEvent {
  return {
    id: eventId(orderId, sequence),
    type,
    orderId,
    sequence,
    occurredAt: new Date().toISOString(),
    schemaVersion: EVENT_SCHEMA_VERSION,
    data,
  } as OrderEvent;
}

export const sampleItems = [
  { sku: 'MUG-BLUE', name: 'Blue mug', quantity: 2, unitPrice: 1250 },
  { sku: 'TEA-EARL', quantity: 1, unitPrice: 899 },
];
