// Latency percentiles from an HDR histogram (hdr-histogram-js: three significant digits, so a
// figure is within 0.1 % of the exact nearest-rank value, at a fixed cost per sample), and
// per-second buckets for the ramp chart.
import { build } from 'hdr-histogram-js';

/** Samples are milliseconds, recorded in tenths: the reports give one decimal. */
const UNITS_PER_MS = 10;

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Percentiles {
  if (values.length === 0)
    return { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  try {
    for (const value of values) histogram.recordValue(Math.max(0, Math.round(value * UNITS_PER_MS)));
    const at = (p: number) => histogram.getValueAtPercentile(p) / UNITS_PER_MS;
    return {
      count: values.length,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: Math.max(...values.map((v) => Math.round(v * UNITS_PER_MS))) / UNITS_PER_MS,
    };
  } finally {
    histogram.destroy();
  }
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
