// One order event -> at most one e-mail: claim the event id, render, send, mark sent.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@orders/platform';
import type { OrderEvent } from '@orders/platform/events';
import type { NotificationsRepository } from '../data-access/notifications-repository';
import type { Mailer } from './mail';
import { messageIdFor } from './mail';
import type { NotificationMetrics } from '../notification-metrics';
import { backoffDelay, sleep } from '../backoff';
import { renderOrderEmail, type TemplateOptions } from './templates';

/**
 * About ten minutes of attempts, 1 s apart at most: the mail is out, so failing to record it
 * (the database restarting) must outlast any outage we ride through, or the retried delivery
 * sends it a second time once the claim's lease runs out (found by the long chaos run).
 */
const MARK_SENT_ATTEMPTS = 600;

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
  /** This consumer instance; each delivery attempt owns its claim under a name derived from it. */
  owner: string;
  /** How long a claim is this owner's; longer than one SMTP send can take (its timeouts). */
  claimLeaseMs: number;
}

/** Another consumer holds the event's claim (e.g. the one that had the partition): retry later. */
export class ClaimHeldElsewhere extends Error {
  constructor(eventId: string) {
    super(`event ${eventId} is being sent by another consumer; trying again once its lease ends`);
    this.name = new.target.name;
  }
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

    // One owner per delivery attempt, not per process: kafkajs may redeliver a message to this
    // same consumer (a restart after a broker outage) while the first handling still runs, and
    // the two must not both send.
    const owner = `${deps.owner}:${randomUUID().slice(0, 8)}`;
    const { claimLeaseMs } = deps;
    const attempt = await repository.claimForSending(
      { ...identity, subject: email.subject },
      owner,
      claimLeaseMs,
    );
    if (attempt === 'finished') return duplicate(log);
    if (attempt === 'busy') throw new ClaimHeldElsewhere(event.id);
    if (attempt > 1) log.info({ attempt }, 'sending again: an earlier attempt did not finish');
    // Checked (and renewed) right before the relay: time may have passed since the claim.
    if (!(await repository.holdsClaim(event.id, owner, claimLeaseMs))) throw new ClaimHeldElsewhere(event.id);

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
        .recordFailure(event.id, err instanceof Error ? err.message : String(err), owner)
        .catch((recordErr: unknown) => log.warn({ err: recordErr }, 'could not record the failed attempt'));
      throw err;
    }

    await markSentPatiently(
      event.id,
      sent.messageId,
      owner,
      deps.markSentAttempts ?? MARK_SENT_ATTEMPTS,
      log,
    );
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
  async function markSentPatiently(
    eventId: string,
    messageId: string,
    owner: string,
    attempts: number,
    log: Logger,
  ) {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await repository.markSent(eventId, messageId, owner)))
          log.warn('the claim was taken over while this send was in flight; the replacement records it');
        return;
      } catch (err) {
        if (attempt >= attempts) throw err;
        log.warn({ err, attempt }, 'could not mark the notification sent; retrying');
        await sleep(backoffDelay(attempt, 200, 1_000));
      }
    }
  }
}
