import { z } from 'zod';
import { ORDER_EVENTS_DLQ_TOPIC, ORDER_EVENTS_TOPIC } from '@orders/platform/events';
import {
  DEV_INTERNAL_API_TOKEN,
  baseConfigSchema,
  internalApiToken,
  kafkaConnectionSchema,
  kafkaLink,
  loadConfig,
  postgresLink,
  milliseconds,
  optionalSetting,
  port,
  envFlag,
} from '@orders/platform';

export const notificationConfigSchema = baseConfigSchema.extend({
  PORT: port(3004),
  /** GET /metrics, on a port of its own (only the monitoring namespace may reach it). */
  METRICS_PORT: port(9104),
  NOTIFICATIONS_DATABASE_URL: z.string().min(1),
  ...kafkaConnectionSchema.shape,
  ORDER_EVENTS_TOPIC: z.string().min(1).default(ORDER_EVENTS_TOPIC),
  ORDER_EVENTS_DLQ_TOPIC: z.string().min(1).default(ORDER_EVENTS_DLQ_TOPIC),
  KAFKA_GROUP_ID: z.string().min(1).default('notification-service'),
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535),
  /** TLS from the first byte (port 465). */
  SMTP_SECURE: envFlag(false),
  /** STARTTLS required: the send fails rather than going on in plain text (port 587). */
  SMTP_REQUIRE_TLS: envFlag(false),
  /** CA of the relay's certificate, when not a public one. */
  SMTP_TLS_CA_FILE: optionalSetting,
  SMTP_USER: optionalSetting,
  SMTP_PASSWORD: optionalSetting,
  MAIL_FROM: z.string().min(1).default('"Order Platform" <orders@shop.example>'),
  /**
   * Deliveries failing for a transient reason (relay down, 4xx, the database away) are retried
   * with capped backoff, holding the partition, until they succeed: an outage must not
   * dead-letter every e-mail in it. 0 (the default) means no limit; a positive number
   * dead-letters after that many attempts. Poison and permanent rejections go to the DLQ at once.
   */
  MAX_DELIVERY_ATTEMPTS: z.coerce.number().int().min(0).max(1_000_000).default(0),
  RETRY_BACKOFF_MS: milliseconds(500),
  /**
   * A claim's lease: longer than one send can take (connect 10 s + greeting 10 s + socket 30 s),
   * and how long a replacement waits on an event whose sender was killed mid-send.
   */
  CLAIM_LEASE_MS: milliseconds(60_000).pipe(z.number().min(1_000)),
  /**
   * The broker holds a fetch up to this long to fill it with KAFKA_FETCH_MIN_BYTES: events come
   * in batches instead of one fetch and one offset commit each (Kafka's CPU per saga,
   * loadtest/BENCHMARKS.md, fourth round). An e-mail leaves at most this much later.
   */
  KAFKA_FETCH_MAX_WAIT_MS: milliseconds(250),
  KAFKA_FETCH_MIN_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024),
  STORE_NAME: z.string().min(1).default('Order Platform'),
  FAULT_INJECTION: envFlag(false),
  /** Required on every route but the probes (operators and tests send it). */
  INTERNAL_API_TOKEN: internalApiToken,
});

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

export const loadNotificationConfig = (env: NodeJS.ProcessEnv = process.env): NotificationConfig =>
  loadConfig(
    notificationConfigSchema,
    env,
    { values: { INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN }, secrets: ['INTERNAL_API_TOKEN'] },
    (c) => [
      postgresLink(c.NOTIFICATIONS_DATABASE_URL),
      kafkaLink(c),
      {
        dependency: 'smtp',
        target: `${c.SMTP_HOST}:${c.SMTP_PORT}`,
        encrypted: c.SMTP_SECURE || c.SMTP_REQUIRE_TLS,
      },
    ],
  );
