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
// Stripe calls can be slow; the payment service's own Stripe timeout is 10 s.
export const payment = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: forwardRetry,
});

/** Undo actions and bookkeeping must not give up: no attempt limit (the default), capped backoff. */
export const mustFinish = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
