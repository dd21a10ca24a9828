// The service's own Prometheus counters, registered next to the platform's HTTP metrics.
import { Counter, type Registry } from 'prom-client';

export interface NotificationMetrics {
  sent: Counter<'type'>;
  duplicates: Counter;
  deadLettered: Counter<'reason'>;
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
  };
}
