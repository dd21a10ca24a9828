// Which of the saga's versioned changes a run has. Each change was versioned with its own
// `patched()` call, and each call a new saga makes writes a marker and an upsert of the
// TemporalChangeVersion search attribute (a visibility write on the server): five of each for a
// saga that only completes. Since `patched('every-earlier-patch-applies')` a new saga records
// that one marker and takes every change below as applied; sagas recorded before it (the v1-v6
// histories) never saw it, replay it as false and ask for each change as they did. Since
// `patched('internal-steps-run-local')` that marker is the one a new saga records instead.
import { patched } from '@temporalio/workflow';

/** Every change versioned before the one marker; a later change gets its own `patched()` call. */
export type SagaPatch =
  | 'order-record-holds-saga-state'
  | 'order-status-search-attribute'
  | 'events-off-the-critical-path'
  | 'events-ride-with-the-next-step'
  | 'pin-hold-before-capture'
  | 'refund-window'
  | 'serve-requests-at-window-end'
  | 'refund-money-before-items'
  | 'fulfilled-cancel-returns-declared-items';

export interface SagaShape {
  /** Whether this run has the change: where the saga used to call `patched(patch)`. */
  has(patch: SagaPatch): boolean;
  /**
   * Whether validate, commit and the outcome's record run as local activities (`local` in
   * activity-proxies.ts says why those and not the others).
   */
  readonly localSteps: boolean;
}

/** Must be the saga's first versioning call, before any `has()`. */
export function sagaShape(): SagaShape {
  // Since `internal-steps-run-local`, that one marker (and its one upsert) also stands for every
  // change before it. Both are asked in the saga's first workflow task, where the SDK finds a
  // task's patch markers whatever order they were asked in: a saga recorded with
  // `every-earlier-patch-applies` replays the first call as false and the second as true. Asked
  // first, the marker precedes every local activity's marker and every support request (the
  // replay fault BENCHMARKS.md describes came from a patch asked for in a later task).
  const localSteps = patched('internal-steps-run-local');
  const everyEarlierPatch = localSteps || patched('every-earlier-patch-applies');
  return { has: (patch) => everyEarlierPatch || patched(patch), localSteps };
}
