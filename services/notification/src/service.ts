// The whole notification service, so main.ts, the tests and the system harness start exactly
// the same parts: database (migrated), mailer, DLQ producer, consumer, HTTP, metrics.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { Partitioners } from 'kafkajs';
import {
  composeService,
  createKafka,
  kafkaConnection,
  createLogger,
  createMetrics,
  openDatabase,
  serveHttp,
  type Logger,
  type Metrics,
  type Pool,
  type RunningService,
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
import { createMailer } from './adapters/smtp-mailer';
import { createNotificationMetrics } from './notification-metrics';

export const SERVICE_NAME = 'notification';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface NotificationService extends RunningService {
  /** The express app behind `url` (tests enumerate its routes). */
  app: Express;
  pool: Pool;
  repository: NotificationsRepository;
  metrics: Metrics;
  consumer: OrderEventsConsumer;
}

export function startNotificationService(
  config: NotificationConfig,
  options: { logger?: Logger } = {},
): Promise<NotificationService> {
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  // Parts stop in reverse: the consumer first (committing), then HTTP, metrics, the DLQ
  // producer, SMTP and the pool.
  return composeService(logger, async (parts) => {
    const pool = await openDatabase(parts, {
      url: config.NOTIFICATIONS_DATABASE_URL,
      migrationsDir: MIGRATIONS_DIR,
      application: SERVICE_NAME,
      logger,
    });

    const metrics = createMetrics(SERVICE_NAME);
    const notificationMetrics = createNotificationMetrics(metrics.registry);
    const repository = createNotificationsRepository(pool);

    const mailer = createMailer(config, logger);
    parts.add('mailer', () => mailer.close());

    const kafka = createKafka(`${SERVICE_NAME}-${hostname()}`, kafkaConnection(config), logger);
    await ensureTopics(kafka, [config.ORDER_EVENTS_TOPIC, config.ORDER_EVENTS_DLQ_TOPIC], logger);
    // Keyed like the source topic, with Kafka's default (Java-compatible) partitioner.
    const dlqProducer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await dlqProducer.connect();
    parts.add('dlq producer', () => dlqProducer.disconnect());

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
    const urls = await serveHttp(parts, {
      app,
      metrics,
      port: config.PORT,
      metricsPort: config.METRICS_PORT,
      host: config.HOST,
    });

    parts.add('consumer', () => consumer.stop());
    await consumer.start();
    logger.info(
      { topic: config.ORDER_EVENTS_TOPIC, groupId: config.KAFKA_GROUP_ID },
      'notification service started',
    );

    return { ...urls, app, pool, repository, metrics, consumer };
  });
}
