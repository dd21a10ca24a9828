// From raw hits and terminal events to the report's load figures and per-second timeline.
import type { Terminal } from './completions';
import type { Hit, LoadResult } from './load';
import type { BenchReport, StepFigures } from './report';
import { ACTIONS, type Step } from './scenarios';
import { bucketize, summarize, type Bucket, type TimedSample } from './stats';

export function errorCause(hit: Pick<Hit, 'code' | 'error'>): string {
  if (hit.error) {
    if (/timeout|deadline/i.test(hit.error)) return 'timeout';
    if (/refused/i.test(hit.error)) return 'connection refused';
    if (/reset/i.test(hit.error)) return 'connection reset';
    return hit.error.slice(0, 60);
  }
  return `HTTP ${hit.code}`;
}

/** A completed order of the run: when its saga completed, and how long after it was placed. */
export interface Completion extends TimedSample {
  orderId: string;
}

export function analyseLoad(opts: {
  load: LoadResult;
  steps: Step[];
  terminal: Map<string, Terminal>;
  createdAt: Map<string, number>;
  drainSeconds: number;
}): { load: BenchReport['load']; completions: Completion[] } {
  const { load, steps } = opts;
  const seconds = steps.reduce((sum, s) => sum + s.durationMs, 0) / 1000;
  const requests = Object.fromEntries(
    ACTIONS.map((a) => [a, { sent: 0, ok: 0, errors: 0, latencyMs: summarize([]) }]),
  ) as BenchReport['load']['requests'];
  const byCause: Record<string, number> = {};
  for (const hit of load.hits) {
    const counts = requests[hit.action];
    counts.sent += 1;
    if (hit.ok) counts.ok += 1;
    else {
      counts.errors += 1;
      const cause = `${hit.action} ${errorCause(hit)}`;
      byCause[cause] = (byCause[cause] ?? 0) + 1;
    }
  }
  for (const action of ACTIONS)
    requests[action].latencyMs = summarize(
      load.hits.filter((h) => h.action === action && h.ok).map((h) => h.latencyMs),
    );
  const accepted = load.hits.filter((h) => h.action === 'place' && h.ok);
  const orderIds = accepted.flatMap((h) => (h.orderId ? [h.orderId] : []));
  const outcomes = { completed: 0, failed: 0, cancelled: 0, open: 0 };
  const completions: Completion[] = [];
  for (const id of orderIds) {
    const end = opts.terminal.get(id);
    if (!end) {
      outcomes.open += 1;
      continue;
    }
    outcomes[end.outcome === 'COMPLETED' ? 'completed' : end.outcome === 'FAILED' ? 'failed' : 'cancelled'] +=
      1;
    const created = opts.createdAt.get(id);
    if (end.outcome === 'COMPLETED' && created !== undefined)
      completions.push({ orderId: id, atMs: end.atMs, valueMs: end.atMs - created });
  }
  const inWindow = completions.filter((c) => c.atMs >= load.startedAtMs && c.atMs <= load.endedAtMs);
  const errors = load.hits.length - load.hits.filter((h) => h.ok).length;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    completions,
    load: {
      seconds,
      requests,
      ordersAccepted: accepted.length,
      ordersAcceptedPerSec: round(accepted.length / seconds),
      sagasCompleted: inWindow.length,
      sagasCompletedPerSec: round(inWindow.length / seconds),
      sagasCompletedPerSecOverall: round(
        completions.length /
          Math.max(1, (Math.max(...completions.map((c) => c.atMs)) - load.startedAtMs) / 1000),
      ),
      placeLatencyMs: summarize(accepted.map((h) => h.latencyMs)),
      completionLatencyMs: summarize(completions.map((c) => c.valueMs)),
      errors: {
        count: errors,
        rate: load.hits.length ? Math.round((errors / load.hits.length) * 1e4) / 1e4 : 0,
        byCause,
      },
      outcomes,
      drainSeconds: round(opts.drainSeconds),
      targetsGenerated: load.targetsGenerated,
      perStep: stepFigures(load, steps, completions),
    },
  };
}

/** Per-second buckets from the first request until the last completion. */
export function timeline(load: LoadResult, steps: Step[], completions: TimedSample[]): Bucket[] {
  const lastCompletion = Math.max(load.endedAtMs, ...completions.map((c) => c.atMs));
  const accepted = load.hits
    .filter((h) => h.action === 'place' && h.ok)
    .map((h) => ({ atMs: h.timestampMs, valueMs: h.latencyMs }));
  return bucketize({
    startMs: load.startedAtMs,
    endMs: lastCompletion,
    accepted,
    completed: completions,
    offeredAt: (t) => {
      // The step running at the middle of this second; steps follow each other without gaps.
      const at = load.startedAtMs + t * 1000 + 500;
      const lastIndex = load.stepStarts.length - 1;
      const lastEnd = (load.stepStarts[lastIndex] ?? 0) + (steps[lastIndex]?.durationMs ?? 0);
      if (at >= lastEnd) return 0;
      let index = -1;
      load.stepStarts.forEach((start, i) => {
        if (start <= at) index = i;
      });
      return steps[index]?.rate ?? 0;
    },
  });
}

/** Each step on its own: what it offered, what was accepted and completed while it ran. */
export function stepFigures(load: LoadResult, steps: Step[], completions: Completion[]): StepFigures[] {
  const stepOfOrder = new Map(load.hits.flatMap((h) => (h.orderId ? [[h.orderId, h.step] as const] : [])));
  return steps.map((step, i) => {
    const start = load.stepStarts[i] ?? load.startedAtMs;
    const end = start + step.durationMs;
    const seconds = step.durationMs / 1000;
    const accepted = load.hits.filter((h) => h.step === i && h.action === 'place' && h.ok);
    const rate = (n: number) => Math.round((n / seconds) * 100) / 100;
    return {
      rate: step.rate,
      seconds,
      acceptedPerSec: rate(accepted.length),
      completedPerSec: rate(completions.filter((c) => c.atMs >= start && c.atMs < end).length),
      errors: load.hits.filter((h) => h.step === i && !h.ok).length,
      placeLatencyMs: summarize(accepted.map((h) => h.latencyMs)),
      completionLatencyMs: summarize(
        completions.filter((c) => stepOfOrder.get(c.orderId) === i).map((c) => c.valueMs),
      ),
    };
  });
}
