// Composition of the whole service, so main.ts, the tests and the system harness start exactly
// the same thing: database, mailer, DLQ producer, consumer and HTTP, stopped in a fixed order.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { Partitioners } from 'kafkajs';
import {
  createKafka,
  createLogger,
  createMetrics,
  createPool,
  migrate,
  startMetricsServer,
  startServer,
  type Logger,
  type Metrics,
  type Pool,
} from '@orders/platform';
import { buildApp } from './app';
import type { NotificationConfig } from './config';
import { ensureTopics } from './consumer/ensure-topics';
import { createOrderEventsConsumer, type OrderEventsConsumer } from './consumer/order-events-consumer';
import {
  createNotificationsRepository,
  type NotificationsRepository,
} from './data-access/notifications-repository';
import { createOrderEventHandler } from './domain/handle-order-event';
import { createMailer } from './mail/mailer';
import { createNotificationMetrics } from './notification-metrics';

export const SERVICE_NAME = 'notification';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface NotificationService {
  /** Base URL of the HTTP server. */
  url: string;
  /** Base URL of the metrics server (GET /metrics). */
  metricsUrl: string;
  /** The express app behind `url` (tests enumerate its routes). */
  app: Express;
  pool: Pool;
  repository: NotificationsRepository;
  metrics: Metrics;
  consumer: OrderEventsConsumer;
  /** Stops the consumer (committing), then HTTP, metrics, the DLQ producer, SMTP and the pool. Idempotent. */
  stop(): Promise<void>;
}

type Step = { name: string; run: () => Promise<void> | void };

export async function startNotificationService(
  config: NotificationConfig,
  options: { logger?: Logger } = {},
): Promise<NotificationService> {
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  // Filled as parts start; on a failed start only what started is closed again.
  const teardown: Step[] = [];
  const runTeardown = async () => {
    for (const step of teardown) {
      try {
        await step.run();
      } catch (err) {
        logger.error({ err, step: step.name }, 'stopping part of the notification service failed');
      }
    }
  };

  try {
    const pool = createPool(config.NOTIFICATIONS_DATABASE_URL, { application: SERVICE_NAME });
    teardown.unshift({ name: 'pool', run: () => pool.end() });
    await migrate(config.NOTIFICATIONS_DATABASE_URL, MIGRATIONS_DIR, logger);

    const metrics = createMetrics(SERVICE_NAME);
    const notificationMetrics = createNotificationMetrics(metrics.registry);
    const repository = createNotificationsRepository(pool);

    const mailer = createMailer(config, logger);
    teardown.unshift({ name: 'mailer', run: () => mailer.close() });

    const kafka = createKafka(`${SERVICE_NAME}-${hostname()}`, config.KAFKA_BROKERS, logger);
    await ensureTopics(kafka, [config.ORDER_EVENTS_TOPIC, config.ORDER_EVENTS_DLQ_TOPIC], logger);
    // Keyed like the source topic, with Kafka's default (Java-compatible) partitioner.
    const dlqProducer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await dlqProducer.connect();
    teardown.unshift({ name: 'dlq producer', run: () => dlqProducer.disconnect() });

    const handle = createOrderEventHandler({
      repository,
      mailer,
      templates: { storeName: config.STORE_NAME },
      metrics: notificationMetrics,
      logger,
      owner: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
      claimLeaseMs: config.CLAIM_LEASE_MS,
    });
    const consumer = createOrderEventsConsumer({
      kafka,
      dlqProducer,
      handle,
      metrics: notificationMetrics,
      logger,
      config,
    });

    const app = buildApp({
      pool,
      repository,
      metrics,
      logger,
      internalApiToken: config.INTERNAL_API_TOKEN,
      consumerState: () => consumer.state(),
      faultInjection: config.FAULT_INJECTION,
    });
    const metricsServer = await startMetricsServer(metrics, config.METRICS_PORT, config.HOST);
    teardown.unshift({ name: 'metrics server', run: () => metricsServer.close() });
    const server = await startServer(app, config.PORT, config.HOST);
    teardown.unshift({ name: 'http server', run: () => server.close() });

    teardown.unshift({ name: 'consumer', run: () => consumer.stop() });
    await consumer.start();
    logger.info(
      {
        url: server.url,
        metrics: metricsServer.url,
        topic: config.ORDER_EVENTS_TOPIC,
        groupId: config.KAFKA_GROUP_ID,
      },
      'notification service started',
    );

    let stopped: Promise<void> | undefined;
    return {
      url: server.url,
      metricsUrl: metricsServer.url,
      app,
      pool,
      repository,
      metrics,
      consumer,
      stop: () => (stopped ??= runTeardown()),
    };
  } catch (err) {
    await runTeardown();
    throw err;
  }
}
