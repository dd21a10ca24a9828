// A workflow of six no-op activities, the saga's step count (validate, reserve, authorize,
// create, capture, commit) with the saga's activity timeout, so its rate is the ceiling the
// engine puts on sagas with this server, persistence and worker. Sandbox code: no Node imports.
import { proxyActivities } from '@temporalio/workflow';
import type { NoOpActivities } from './activities';

export const ENGINE_STEPS = 6;

const { noOp } = proxyActivities<NoOpActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 8 },
});

export async function sixNoOps(): Promise<number> {
  for (let step = 0; step < ENGINE_STEPS; step++) await noOp(step);
  return ENGINE_STEPS;
}
