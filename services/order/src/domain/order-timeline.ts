// One order's story for support: the order record, the saga's history (steps, compensations,
// events, support requests) and the e-mails sent. A source that cannot answer leaves its part
// empty and says so, rather than failing the whole page.
import type { OrderTimeline, TimelineEmail } from '../routes/console-schemas';
import type { Order } from './order';
import type { SagaHistorySource } from './saga-history';

export interface NotificationsClient {
  /** E-mails for the order, oldest first; throws when the service cannot answer. */
  emailsOf(orderId: string): Promise<TimelineEmail[]>;
}

export interface TimelineSources {
  history: SagaHistorySource;
  notifications: NotificationsClient;
  onSourceError?: (source: 'history' | 'notifications', err: unknown) => void;
}

export async function orderTimeline(sources: TimelineSources, order: Order): Promise<OrderTimeline> {
  const [history, emails] = await Promise.allSettled([
    sources.history.read(order.id),
    sources.notifications.emailsOf(order.id),
  ]);
  if (history.status === 'rejected') sources.onSourceError?.('history', history.reason);
  if (emails.status === 'rejected') sources.onSourceError?.('notifications', emails.reason);
  const saga = history.status === 'fulfilled' && history.value !== 'not-started' ? history.value : undefined;
  return {
    orderId: order.id,
    status: order.status,
    placedAt: order.createdAt.toISOString(),
    saga: saga
      ? {
          workflowId: saga.workflowId,
          status: saga.status,
          open: saga.open,
          startedAt: saga.startedAt ?? order.createdAt.toISOString(),
          closedAt: saga.closedAt,
          runs: saga.runs,
        }
      : null,
    activities: saga?.activities ?? [],
    events: saga?.events ?? [],
    emails: emails.status === 'fulfilled' ? emails.value : [],
    supportActions: saga?.supportActions ?? [],
    sources: {
      history: history.status === 'rejected' ? 'unavailable' : saga ? 'ok' : 'not-started',
      notifications: emails.status === 'fulfilled' ? 'ok' : 'unavailable',
    },
  };
}
