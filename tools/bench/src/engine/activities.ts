// The engine ceiling's activities: they do nothing, so a run measures only what Temporal and
// the worker spend to schedule, dispatch and record six activity tasks per workflow.
export function createNoOpActivities() {
  return {
    async noOp(_step: number): Promise<void> {},
  };
}

export type NoOpActivities = ReturnType<typeof createNoOpActivities>;
