// The saga's activity stubs, each with the timeout and retry policy its participant needs.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Forward steps: infrastructure errors retry with backoff, then the saga compensates. */
const forwardRetry = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 8,
} as const;

export const validation = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { ...forwardRetry, maximumAttempts: 5 },
});
export const inventory = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: forwardRetry,
});
export const order = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: forwardRetry });
// Stripe calls can be slow. Timeouts are ordered so a retry never races its own first attempt:
// Stripe call (10 s) < the payment service's request deadline (20 s) < the worker's HTTP wait
// for it (PAYMENT_CALL_TIMEOUT_MS, 25 s) < this startToClose (30 s).
export const payment = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: forwardRetry,
});

/**
 * A support refund whose outcome is unknown (Stripe slow, 5xx, 429, a key still in use) is
 * retried with the same key until Stripe's answer is known: no attempt limit. A definitive
 * refusal is a non-retryable failure and ends it at once.
 */
export const supportRefund = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Capped at 10 s: while a refund is pending the support agent and the customer are waiting.
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** Undo actions and bookkeeping must not give up: no attempt limit (the default), capped backoff. */
export const mustFinish = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Reports of the saga's state to the order record. Best effort: a later report (a higher
 * revision) supersedes a lost one, and a record that is not settled is answered by querying the
 * saga, so a report never holds the saga up and gives up after about a quarter of an hour.
 */
export const reporting = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
});
