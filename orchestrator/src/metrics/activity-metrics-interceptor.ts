// Feeds the saga metrics from every activity execution: forward steps are timed, compensations
// counted (and tracked while stuck), outcomes and published events counted once they succeeded.
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { STUCK_AFTER_ATTEMPTS } from '../stuck-compensations';
import { SAGA_OUTCOME_STATUSES, type SagaOutcomeStatus } from '../shared';
import { COMPENSATIONS, STEP_OF_ACTIVITY, type SagaMetrics } from './saga-metrics';

export function activityMetricsInterceptor(metrics: SagaMetrics): ActivityInterceptorsFactory {
  return (ctx) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        const { activityType, attempt, workflowExecution } = ctx.info;
        const workflowId = workflowExecution?.workflowId ?? 'unknown';
        const step = STEP_OF_ACTIVITY.get(activityType);
        const isCompensation = COMPENSATIONS.has(activityType);
        const stuckKey = `${workflowId}/${activityType}`;
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        let result: unknown;
        try {
          result = await next(input);
        } catch (err) {
          if (step) metrics.observeStep(step, 'error', seconds());
          if (isCompensation) {
            metrics.compensation(activityType, 'error');
            if (attempt >= STUCK_AFTER_ATTEMPTS) metrics.stuck(stuckKey);
          }
          throw err;
        }
        if (step) metrics.observeStep(step, 'ok', seconds());
        if (isCompensation) {
          metrics.compensation(activityType, 'ok');
          metrics.unstuck(stuckKey);
        }
        if (activityType === 'recordOutcome') {
          const outcome = parseOutcome(input.args[1]);
          if (outcome) metrics.outcomeRecorded(workflowId, outcome);
        }
        // The saga's final event leaves with recordOutcome (its third argument), the others alone.
        const event =
          activityType === 'publishEvent'
            ? input.args[0]
            : activityType === 'recordOutcome'
              ? input.args[2]
              : undefined;
        const type = eventType(event);
        if (type) metrics.eventPublished(type);
        return result;
      },
    };
    return { inbound };
  };
}

/** Activity arguments arrive untyped: read only what is needed, and skip anything unexpected. */
function parseOutcome(arg: unknown): { status: SagaOutcomeStatus; refunded: number } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { status, refunded } = arg as { status?: unknown; refunded?: unknown };
  if (!isOutcomeStatus(status)) return undefined;
  return { status, refunded: typeof refunded === 'number' ? refunded : 0 };
}

const isOutcomeStatus = (status: unknown): status is SagaOutcomeStatus =>
  (SAGA_OUTCOME_STATUSES as readonly unknown[]).includes(status);

function eventType(arg: unknown): string | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { type } = arg as { type?: unknown };
  return typeof type === 'string' ? type : undefined;
}
