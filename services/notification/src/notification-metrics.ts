// The service's own Prometheus counters, registered next to the platform's HTTP metrics.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface NotificationMetrics {
  sent: Counter<'type'>;
  duplicates: Counter;
  deadLettered: Counter<'reason'>;
  /** Failed delivery attempts that will be retried (an outage shows as a steady rise). */
  retries: Counter;
  /** 1 while a delivery keeps failing and holds its partition. */
  blocked: Gauge;
}

export function createNotificationMetrics(registry: Registry): NotificationMetrics {
  return {
    sent: new Counter({
      name: 'notifications_sent_total',
      help: 'E-mails handed to the SMTP relay, by order event type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'notifications_duplicates_total',
      help: 'Order events dropped because their id was already processed',
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'notifications_dead_lettered_total',
      help: 'Messages moved to the dead-letter topic, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'notifications_delivery_retries_total',
      help: 'Delivery attempts that failed for a transient reason and are retried',
      registers: [registry],
    }),
    blocked: new Gauge({
      name: 'notifications_delivery_blocked',
      help: '1 while a delivery keeps failing transiently and holds its partition (SMTP or database outage)',
      registers: [registry],
    }),
  };
}
