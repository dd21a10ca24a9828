// A last-in first-out stack of undo actions. Each step's undo is pushed BEFORE the step is
// called, so a step that took effect but whose activity then timed out is still undone; every
// undo is therefore written to be harmless when its step never happened.
import type { CompensationName, SagaStep } from '../shared';

export interface Compensation {
  name: CompensationName;
  step: SagaStep;
  run: () => Promise<unknown>;
}

export class CompensationStack {
  private readonly entries: Compensation[] = [];

  push(compensation: Compensation): void {
    this.entries.push(compensation);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs the undo actions newest first; `onStart`/`onDone` let the saga expose progress. */
  async unwind(hooks: { onStart(c: Compensation): void; onDone(c: Compensation): void }): Promise<void> {
    for (let next = this.entries.pop(); next; next = this.entries.pop()) {
      hooks.onStart(next);
      await next.run();
      hooks.onDone(next);
    }
  }
}
