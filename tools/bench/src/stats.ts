// Exact percentiles over every sample (a bench run holds at most a few hundred thousand), and
// per-second buckets for the ramp chart.

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array: the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => (Number.isNaN(n) ? n : Math.round(n * 10) / 10);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export interface Bucket {
  /** Seconds since the start of the run. */
  t: number;
  /** Target (offered) rate in this second. */
  offered: number;
  accepted: number;
  completed: number;
  placeP99Ms: number;
  completionP99Ms: number;
}

export interface TimedSample {
  atMs: number;
  valueMs: number;
}

/**
 * One bucket per second from `startMs` to `endMs`: placements accepted (by send time) and
 * sagas completed (by completion time) in that second, and the p99 of each latency within it.
 */
export function bucketize(opts: {
  startMs: number;
  endMs: number;
  accepted: TimedSample[];
  completed: TimedSample[];
  offeredAt: (tSeconds: number) => number;
}): Bucket[] {
  const seconds = Math.max(1, Math.ceil((opts.endMs - opts.startMs) / 1000));
  const groups = (samples: TimedSample[]) => {
    const out = Array.from({ length: seconds }, () => [] as number[]);
    for (const s of samples) {
      const i = Math.floor((s.atMs - opts.startMs) / 1000);
      if (i >= 0 && i < seconds) out[i]!.push(s.valueMs);
    }
    return out;
  };
  const accepted = groups(opts.accepted);
  const completed = groups(opts.completed);
  return Array.from({ length: seconds }, (_, t) => ({
    t,
    offered: opts.offeredAt(t),
    accepted: accepted[t]!.length,
    completed: completed[t]!.length,
    placeP99Ms: summarize(accepted[t]!).p99,
    completionP99Ms: summarize(completed[t]!).p99,
  }));
}
