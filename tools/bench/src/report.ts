// The run's result: one object written as JSON, and the same figures as one printed table.
import { cpus, totalmem } from 'node:os';
import type { EngineCeiling } from './engine-ceiling';
import type { HttpCeiling } from './http-ceiling';
import type { Action, Scenario, Step } from './scenarios';
import type { Bucket, Percentiles } from './stats';

export interface ThresholdCheck {
  name: string;
  limit: number;
  value: number;
  pass: boolean;
  higherIsBetter: boolean;
}

export interface StepFigures {
  rate: number;
  seconds: number;
  acceptedPerSec: number;
  /** Completions (of any step's orders) while this step ran. */
  completedPerSec: number;
  errors: number;
  placeLatencyMs: Percentiles;
  /** Of the orders placed in this step. */
  completionLatencyMs: Percentiles;
}

export interface BenchReport {
  scenario: string;
  description: string;
  runId: string;
  startedAt: string;
  /** Orders placed and completed before the load (absent in reports older than the option). */
  warmupOrders?: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  steps: Step[];
  load: {
    seconds: number;
    requests: Record<Action, { sent: number; ok: number; errors: number; latencyMs: Percentiles }>;
    ordersAccepted: number;
    ordersAcceptedPerSec: number;
    sagasCompleted: number;
    sagasCompletedPerSec: number;
    /** All completions over the time from the first request to the last completion (includes the drain). */
    sagasCompletedPerSecOverall: number;
    placeLatencyMs: Percentiles;
    completionLatencyMs: Percentiles;
    errors: { count: number; rate: number; byCause: Record<string, number> };
    outcomes: { completed: number; failed: number; cancelled: number; open: number };
    drainSeconds: number;
    targetsGenerated: number;
    perStep: StepFigures[];
  };
  cpu: { windowSeconds: number; seconds: Record<string, number> };
  /** CPU of the system (not the load generator) over the window, per saga that ended in it. */
  cpuPerSaga?: CpuPerSaga;
  ceilings?: {
    seconds: number;
    engine: EngineCeiling & { cpuSeconds: Record<string, number> };
    http: HttpCeiling & { cpuSeconds: Record<string, number> };
  };
  ratios?: { sagaToEngine: number; acceptToHttp: number };
  thresholds: ThresholdCheck[];
  timeline?: Bucket[];
}

export interface CpuPerSaga {
  sagas: number;
  totalMs: number;
  byProcessMs: Record<string, number>;
}

/** What drives the load, not what serves it: left out of the system's CPU per saga. */
const LOAD_GENERATOR = new Set(['vegeta', 'bench driver']);

/**
 * CPU milliseconds per saga, summed over every process of the system and split by process.
 * The window is the load plus the drain, so every accepted saga ended in it; the sagas counted
 * are those that ended (completed, failed or cancelled).
 */
export function cpuPerSaga(
  cpuSeconds: Record<string, number>,
  outcomes: BenchReport['load']['outcomes'],
): CpuPerSaga {
  const sagas = outcomes.completed + outcomes.failed + outcomes.cancelled;
  const perSaga = (s: number) => (sagas > 0 ? Math.round((s * 1000 * 10) / sagas) / 10 : Number.NaN);
  const byProcessMs: Record<string, number> = {};
  let total = 0;
  for (const [name, s] of Object.entries(cpuSeconds)) {
    if (LOAD_GENERATOR.has(name)) continue;
    byProcessMs[name] = perSaga(s);
    total += s;
  }
  return { sagas, totalMs: perSaga(total), byProcessMs };
}

export function machine(): BenchReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function checkThresholds(scenario: Scenario, load: BenchReport['load']): ThresholdCheck[] {
  const t = scenario.thresholds;
  const o = load.outcomes;
  const ended = o.completed + o.failed + o.cancelled;
  const measured: Record<keyof typeof t, { value: number; higherIsBetter: boolean }> = {
    errorRate: { value: load.errors.rate, higherIsBetter: false },
    placeP99Ms: { value: load.placeLatencyMs.p99, higherIsBetter: false },
    completionP99Ms: { value: load.completionLatencyMs.p99, higherIsBetter: false },
    terminalRate: { value: ended + o.open > 0 ? ended / (ended + o.open) : 1, higherIsBetter: true },
  };
  return (Object.keys(measured) as (keyof typeof t)[]).flatMap((name) => {
    const limit = t[name];
    if (limit === undefined) return [];
    const { value, higherIsBetter } = measured[name];
    // NaN (nothing measured) never passes.
    const pass = higherIsBetter ? value >= limit : value <= limit;
    return [{ name, limit, value, pass, higherIsBetter }];
  });
}

const n = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const pct = (p: Percentiles) => `${n(p.p50)} / ${n(p.p95)} / ${n(p.p99)} ms  (n=${p.count})`;

export function formatTable(r: BenchReport): string {
  const rows: [string, string][] = [];
  const section = (title: string) => rows.push([`-- ${title}`, '']);
  const row = (k: string, v: string) => rows.push([`  ${k}`, v]);
  const stepText = r.steps.map((s) => `${s.rate}/s x ${s.durationMs / 1000}s`).join(', ');

  section(`load: ${r.scenario} (${stepText})`);
  row(
    'orders accepted/s',
    `${n(r.load.ordersAcceptedPerSec, 2)}  (${r.load.ordersAccepted} in ${n(r.load.seconds)} s)`,
  );
  row(
    'sagas completed/s',
    `${n(r.load.sagasCompletedPerSec, 2)}  (${r.load.sagasCompleted} during the load)`,
  );
  row('POST /v1/orders p50/p95/p99', pct(r.load.placeLatencyMs));
  row('place->COMPLETED p50/p95/p99', pct(r.load.completionLatencyMs));
  const causes = Object.entries(r.load.errors.byCause)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  row('errors', `${r.load.errors.count} (${n(r.load.errors.rate * 100, 2)} %)${causes ? `  ${causes}` : ''}`);
  for (const [action, c] of Object.entries(r.load.requests))
    if (c.sent > 0)
      row(`  ${action}`, `${c.sent} sent, ${c.ok} ok, ${c.errors} errors, p99 ${n(c.latencyMs.p99)} ms`);
  const o = r.load.outcomes;
  row(
    'outcomes of accepted orders',
    `${o.completed} completed, ${o.failed} failed, ${o.cancelled} cancelled, ${o.open} open`,
  );
  row('drain after the load', `${n(r.load.drainSeconds)} s`);
  if (r.load.perStep.length > 1) {
    section('per step: accepted/s, completed/s, POST p99, place->COMPLETED p99, errors');
    for (const s of r.load.perStep)
      row(
        `${s.rate}/s x ${s.seconds}s`,
        `${n(s.acceptedPerSec, 2)}, ${n(s.completedPerSec, 2)}, ${n(s.placeLatencyMs.p99)} ms, ${n(s.completionLatencyMs.p99, 0)} ms, ${s.errors}`,
      );
  }

  section(`CPU seconds (window ${n(r.cpu.windowSeconds)} s)`);
  for (const [name, s] of Object.entries(r.cpu.seconds))
    row(name, `${n(s, 2)}  (${n((s / r.cpu.windowSeconds) * 100, 0)} % of one core)`);

  if (r.cpuPerSaga) {
    const { sagas, totalMs, byProcessMs } = r.cpuPerSaga;
    section(`CPU per saga (${sagas} sagas ended; the system, not the load generator)`);
    row('total', `${n(totalMs)} ms`);
    const split = Object.entries(byProcessMs).sort(([, a], [, b]) => b - a);
    for (const [name, ms] of split) if (ms > 0) row(name, `${n(ms)} ms`);
  }

  if (r.ceilings && r.ratios) {
    const { engine, http } = r.ceilings;
    section(`ceilings (${n(r.ceilings.seconds, 0)} s each)`);
    row(
      'engine: 6 no-op activities',
      `${n(engine.workflowsPerSec)} workflows/s  (${engine.concurrency} in flight, p50/p99 ${n(engine.workflowLatencyMs.p50, 0)}/${n(engine.workflowLatencyMs.p99, 0)} ms)`,
    );
    row('  CPU s', cpuText(engine.cpuSeconds));
    row(
      'HTTP: express hello-world',
      `${n(http.requestsPerSec, 0)} req/s  (${http.workers} workers, p50/p99 ${n(http.latencyMs.p50)}/${n(http.latencyMs.p99)} ms, success ${n(http.successRatio * 100, 1)} %)`,
    );
    row('  CPU s', cpuText(http.cpuSeconds));
    row('saga / engine', n(r.ratios.sagaToEngine, 3));
    row('accept / HTTP', n(r.ratios.acceptToHttp, 4));
  }
  if (r.thresholds.length > 0) {
    section('thresholds (scenario file)');
    for (const t of r.thresholds)
      row(
        t.name,
        `${n(t.value, 3)} ${t.higherIsBetter ? '>=' : '<='} ${t.limit}  ${t.pass ? 'pass' : 'FAIL'}`,
      );
  }
  // Section titles are full-width lines; only the metric names set the column.
  const width = Math.max(...rows.filter(([k]) => !k.startsWith('--')).map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${k.padEnd(width)}${v}`.trimEnd()).join('\n');
}

const cpuText = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .map(([k, v]) => `${k} ${n(v, 2)}`)
    .join(', ');
