// Compensations retry until they succeed; one that keeps failing must be visible, not silent:
// logged here, and counted by `orders_compensations_stuck` (metrics/activity-metrics-interceptor.ts).
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from '@orders/platform';
import { COMPENSATIONS } from './metrics/saga-metrics';

export const STUCK_AFTER_ATTEMPTS = 5;

export function stuckCompensationInterceptor(logger: Logger): ActivityInterceptorsFactory {
  return (ctx) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        const { activityType, attempt, workflowExecution } = ctx.info;
        try {
          return await next(input);
        } catch (err) {
          if (COMPENSATIONS.has(activityType) && attempt >= STUCK_AFTER_ATTEMPTS) {
            logger.error(
              { err, activityType, attempt, workflowId: workflowExecution?.workflowId },
              'compensation is stuck: still failing, will keep retrying',
            );
          }
          throw err;
        }
      },
    };
    return { inbound };
  };
}
