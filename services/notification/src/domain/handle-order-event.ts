// One order event -> at most one e-mail: claim the event id, render, send, mark sent.
import type { Logger } from '@orders/platform';
import type { OrderEvent } from '@orders/platform/events';
import type { NotificationsRepository } from '../data-access/notifications-repository';
import type { Mailer } from '../mail/mailer';
import { messageIdFor } from '../mail/mailer';
import type { NotificationMetrics } from '../notification-metrics';
import { backoffDelay, sleep } from './retry';
import { renderOrderEmail, type TemplateOptions } from './templates';

export type HandleOutcome = 'sent' | 'skipped' | 'duplicate';

export interface EventContext {
  /** W3C traceparent from the Kafka message header (or the envelope): the consumer span's parent. */
  traceparent?: string;
  /** Where the message came from, for logs. */
  source?: string;
}

export interface OrderEventHandlerDeps {
  repository: NotificationsRepository;
  mailer: Mailer;
  templates: TemplateOptions;
  metrics: NotificationMetrics;
  logger: Logger;
  /** Tries to record a sent e-mail before giving up; see `markSentPatiently`. */
  markSentAttempts?: number;
}

export type OrderEventHandler = (event: OrderEvent, context?: EventContext) => Promise<HandleOutcome>;

export function createOrderEventHandler(deps: OrderEventHandlerDeps): OrderEventHandler {
  const { repository, mailer, templates, metrics } = deps;

  return async function handleOrderEvent(event, context = {}) {
    const log = deps.logger.child({
      eventId: event.id,
      orderId: event.orderId,
      eventType: event.type,
      traceparent: context.traceparent,
      source: context.source,
    });
    const identity = {
      eventId: event.id,
      orderId: event.orderId,
      type: event.type,
      recipient: event.data.customer.email,
    };

    const email = renderOrderEmail(event, templates);
    if (!email) {
      if (await repository.recordSkipped(identity)) {
        log.debug('event recorded; it sends no e-mail');
        return 'skipped';
      }
      return duplicate(log);
    }

    const attempt = await repository.claimForSending({ ...identity, subject: email.subject });
    if (attempt === null) return duplicate(log);
    if (attempt > 1) log.info({ attempt }, 'sending again: an earlier attempt did not finish');

    const messageId = messageIdFor(event.id);
    // A crash after the relay accepted the mail but before it is marked SENT leaves the row
    // SENDING, and the redelivered event sends it again: in that narrow window delivery is
    // at-least-once. The deterministic Message-ID lets mail systems downstream drop the copy.
    let sent: { messageId: string };
    try {
      sent = await mailer.send({
        to: { address: event.data.customer.email, name: event.data.customer.name },
        ...email,
        messageId,
        headers: {
          'X-Order-Id': event.orderId,
          'X-Order-Event-Id': event.id,
          'X-Order-Event-Type': event.type,
        },
      });
    } catch (err) {
      await repository
        .recordFailure(event.id, err instanceof Error ? err.message : String(err))
        .catch((recordErr: unknown) => log.warn({ err: recordErr }, 'could not record the failed attempt'));
      throw err;
    }

    await markSentPatiently(event.id, sent.messageId, deps.markSentAttempts ?? 5, log);
    metrics.sent.inc({ type: event.type });
    log.info({ messageId: sent.messageId, attempt }, 'notification sent');
    return 'sent';
  };

  function duplicate(log: Logger): HandleOutcome {
    metrics.duplicates.inc();
    log.debug('duplicate event dropped: already processed');
    return 'duplicate';
  }

  /**
   * The mail is out; failing here would make the caller retry the whole delivery and send it
   * twice, so recording it gets its own retries before the error escapes.
   */
  async function markSentPatiently(eventId: string, messageId: string, attempts: number, log: Logger) {
    for (let attempt = 1; ; attempt++) {
      try {
        await repository.markSent(eventId, messageId);
        return;
      } catch (err) {
        if (attempt >= attempts) throw err;
        log.warn({ err, attempt }, 'could not mark the notification sent; retrying');
        await sleep(backoffDelay(attempt, 200));
      }
    }
  }
}
