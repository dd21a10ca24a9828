// The whole system for end-to-end tests: the four services and the saga worker as real
// processes on free ports, on their own task queue and topics, against the running stack.
// Plus small clients for everything a test looks at: the public API, each service's own
// view, the Stripe emulator, Kafka events and the mail catcher.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { parseOrderEvent, type OrderEvent } from '@orders/platform/events';
import { APP_NAMES } from '@orders/stack/apps';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';
import { loadStackConfig } from '@orders/stack/config';
import { pickStackEnv } from '@orders/stack/stack';
import { orderSagaResult } from '../../src/client';
import { orderWorkflowId, type OrderSagaResult } from '../../src/shared';

export { eventually } from '@orders/stack/testing';

export interface TestSystem {
  system: RunningSystem;
  /** Where each app's log is (`<app>.log`, JSON lines). */
  logDir: string;
  temporal: Client;
  /** Every domain event seen on this system's topic, by order id. */
  events: Map<string, OrderEvent[]>;
  stop(): Promise<void>;
}

function stackVar(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\``);
  return value;
}

export async function startTestSystem(
  label: string,
  options: { refundWindowSeconds: number; appEnv?: Record<string, string> },
): Promise<TestSystem> {
  const suffix = randomUUID().slice(0, 8);
  const eventsTopic = `orders.events.${label}.${suffix}`;
  const kafka = new Kafka({
    clientId: `e2e-${label}`,
    brokers: stackVar('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: eventsTopic, numPartitions: 3 },
      { topic: `${eventsTopic}.dlq`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();

  const logDir = path.join(process.env.STACK_DIR ?? '.stack/test', 'logs', `e2e-${label}-${suffix}`);
  const system = await startSystem({
    stackEnv: pickStackEnv(process.env),
    logDir,
    ports: await freePorts(),
    taskQueue: `orders-${label}-${suffix}`,
    eventsTopic,
    consumerGroup: `notification-${label}-${suffix}`,
    faultInjection: true,
    logLevel: 'info',
    extraEnv: {
      ...Object.fromEntries(APP_NAMES.map((app) => [app, options.appEnv ?? {}])),
      order: { ...options.appEnv, REFUND_WINDOW_SECONDS: String(options.refundWindowSeconds) },
    },
  });

  const events = new Map<string, OrderEvent[]>();
  const consumer: Consumer = kafka.consumer({ groupId: `e2e-observer-${suffix}` });
  await consumer.connect();
  await consumer.subscribe({ topic: eventsTopic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = parseOrderEvent(JSON.parse(String(message.value)));
      events.set(event.orderId, [...(events.get(event.orderId) ?? []), event]);
    },
  });

  const connection = await Connection.connect({ address: stackVar('TEMPORAL_ADDRESS') });
  return {
    system,
    logDir,
    temporal: new Client({ connection }),
    events,
    async stop() {
      await consumer.disconnect();
      await system.stop();
      await connection.close();
    },
  };
}

export const sagaResult = (t: TestSystem, orderId: string): Promise<OrderSagaResult> =>
  orderSagaResult(t.temporal, orderId);

export const uniqueSku = (prefix = 'E2E') => `${prefix}-${randomUUID().slice(0, 12).toUpperCase()}`;

/**
 * With RECORD_HISTORIES=1, saves a finished saga's history as a replay fixture
 * (orchestrator/test/histories/<name>.json), so later workflow changes are replayed against it.
 * The Temporal CLI writes it: the SDK's own historyToJSON trips over two protobufjs copies.
 */
export async function recordHistory(orderId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = path.join(
    loadStackConfig().cacheDir,
    'go',
    `temporal-${loadStackConfig().versions.temporalCli}`,
    'temporal',
  );
  const { stdout } = await promisify(execFile)(
    cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      orderWorkflowId(orderId),
      '--address',
      stackVar('TEMPORAL_ADDRESS'),
      '--output',
      'json',
    ],
    { maxBuffer: 20 * 1024 * 1024 },
  );
  writeFileSync(fileURLToPath(new URL(`../histories/${name}.json`, import.meta.url)), stdout);
}
