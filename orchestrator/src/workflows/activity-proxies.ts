// The saga's activity stubs, each with the timeout and retry policy its participant needs.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Forward steps: infrastructure errors retry with backoff, then the saga compensates. */
const forwardRetry = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 8,
} as const;

const validationOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { ...forwardRetry, maximumAttempts: 5 },
} as const;
const internalStepOptions = { startToCloseTimeout: '10 seconds', retry: forwardRetry } as const;
export const validation = proxyActivities<Activities>(validationOptions);
export const inventory = proxyActivities<Activities>(internalStepOptions);
export const order = proxyActivities<Activities>(internalStepOptions);
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
const mustFinishOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
export const mustFinish = proxyActivities<Activities>(mustFinishOptions);

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

/**
 * The same policies for the steps that need no support request to reach the saga before them,
 * run as local activities (`patched('internal-steps-run-local')`): validate, and commit with the
 * completed order's record. The worker runs them inside the workflow task and records each
 * result as a marker, so they cost the engine no task of their own: a completed saga is 5
 * workflow tasks and 4 activity tasks instead of 8 and 7.
 *
 * Signals and updates reach a saga only between workflow tasks, and a task that runs a local
 * activity lasts as long as it. So every step before which a cancel request must be seen stays
 * an activity: reserve (a cancel during it is honoured before any payment is attempted),
 * authorize and capture (a slow Stripe waits in the server's queue, not inside a task's lease),
 * and create (a cancel before the capture is honoured by a void, never by a refund). A cancel
 * sent while validate runs is seen as reserve starts; one sent while commit runs meets a
 * fulfilled order, as it would a moment later.
 *
 * A retry whose backoff is over 2 s waits on a durable timer instead of inside the task, so an
 * outage of a participant holds no workflow task open and a support request still gets in.
 */
const localRetry = { localRetryThreshold: '2 seconds' } as const;
export const local = {
  validation: proxyLocalActivities<Activities>({ ...validationOptions, ...localRetry }),
  inventory: proxyLocalActivities<Activities>({ ...internalStepOptions, ...localRetry }),
  mustFinish: proxyLocalActivities<Activities>({ ...mustFinishOptions, ...localRetry }),
};
