// Which of the saga's versioned changes a run has. Each change was versioned with its own
// `patched()` call, and each call a new saga makes writes a marker and an upsert of the
// TemporalChangeVersion search attribute (a visibility write on the server): five of each for a
// saga that only completes. Since `patched('every-earlier-patch-applies')` a new saga records
// that one marker and takes every change below as applied; sagas recorded before it (the v1-v6
// histories) never saw it, replay it as false and ask for each change as they did.
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
}

/** Must be the saga's first versioning call, before any `has()`. */
export function sagaShape(): SagaShape {
  const everyEarlierPatch = patched('every-earlier-patch-applies');
  return { has: (patch) => everyEarlierPatch || patched(patch) };
}
