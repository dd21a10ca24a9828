// Turns what a failed step threw into the saga's failure record.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { SagaFailure, SagaStep } from '../shared';

export function describeFailure(step: SagaStep, err: unknown): SagaFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    return { step, code: cause.type ?? 'REJECTED', reason: cause.message };
  }
  if (cause instanceof TimeoutFailure) {
    return { step, code: 'STEP_TIMED_OUT', reason: `${step} did not answer in time after every retry` };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { step, code: 'STEP_FAILED', reason: `${step} kept failing after every retry: ${message}` };
}
