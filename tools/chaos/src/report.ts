// The run's report: per kill (down time, recovery time), the fault windows, the SMTP outage,
// how the orders ended, and what the audit found — as a JSON document and a table for people.
import type { FaultWindowReport } from './faults';
import type { ActionResult, OrderRecord } from './load';
import type { Recovery } from './recovery';
import type { OrderState } from './tracker';

export interface KillRow extends Recovery {
  part: string;
  /** Orders not yet terminal when the part was killed. */
  inFlightAtKill: number;
  error?: string;
}

export interface AuditSummary {
  status: 'ok' | 'violations' | 'missing' | 'error';
  exitCode: number | null;
  violations: number;
  byCheck: Record<string, number>;
  /** The first few violations, as the audit wrote them. */
  sample: { check: string; orderId?: string; sku?: string; detail: string }[];
  message?: string;
}

export interface OrdersSummary {
  planned: number;
  accepted: number;
  notAccepted: number;
  terminal: number;
  inFlight: number;
  /** COMPLETED, CANCELLED, FAILED:<code> — and IN_FLIGHT:<status> for the rest. */
  byOutcome: Record<string, number>;
  byKind: Record<string, number>;
  cancels: Partial<Record<ActionResult, number>>;
  refunds: Partial<Record<ActionResult, number>>;
}

export interface ChaosReport {
  runId: string;
  seed: number;
  commit: string;
  startedAt: string;
  durationSeconds: number;
  options: { orders: number; rate: number; rounds: number; faults: boolean; refundWindowSeconds: number };
  kills: KillRow[];
  smtpOutages: { downSeconds: number; error?: string }[];
  faultWindows: (FaultWindowReport & { seconds: number })[];
  faultsSkipped: { mode: string; reason: string }[];
  /** Apps that exited without being killed (started again by the watchdog). */
  crashes: { app: string; atSeconds: number; restarted: boolean; logTail: string }[];
  orders: OrdersSummary;
  audit: AuditSummary;
  ok: boolean;
}

const count = <K extends string>(keys: K[]): Partial<Record<K, number>> => {
  const out: Partial<Record<K, number>> = {};
  for (const key of keys) out[key] = (out[key] ?? 0) + 1;
  return out;
};

export function summariseOrders(records: OrderRecord[], states: Map<string, OrderState>): OrdersSummary {
  const accepted = records.filter((r) => r.orderId !== undefined);
  const outcomes = accepted.map((r) => {
    const state = states.get(r.orderId!);
    if (!state) return 'IN_FLIGHT:UNSEEN';
    if (state.status === 'FAILED') return `FAILED:${state.code ?? 'unknown'}`;
    if (state.status === 'COMPLETED' || state.status === 'CANCELLED') return state.status;
    return `IN_FLIGHT:${state.status}`;
  });
  const inFlight = outcomes.filter((o) => o.startsWith('IN_FLIGHT')).length;
  return {
    planned: records.length,
    accepted: accepted.length,
    notAccepted: records.length - accepted.length,
    terminal: accepted.length - inFlight,
    inFlight,
    byOutcome: count(outcomes) as Record<string, number>,
    byKind: count(records.map((r) => r.plan.kind)),
    cancels: count(records.flatMap((r) => (r.cancel ? [r.cancel.result] : []))),
    refunds: count(records.flatMap((r) => (r.refund ? [r.refund.result] : []))),
  };
}

/** A run passes when the audit ran clean and every accepted order reached a terminal status. */
export const passed = (orders: OrdersSummary, audit: AuditSummary): boolean =>
  audit.status === 'ok' && orders.inFlight === 0;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (n: number | null) => (n === null ? '-' : n.toFixed(1));
const pairs = (record: Record<string, number | undefined>) =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** The line of a crash's log that says why: the error thrown, else the last line. */
function crashLine(logTail: string): string {
  const lines = logTail.split('\n').filter((l) => l.trim() !== '');
  const error = lines.find((l) => /^\s*(\w*Error|error)\b.*:/.test(l));
  return (error ?? lines[lines.length - 1] ?? 'no log').trim().slice(0, 160);
}

export function formatReport(report: ChaosReport): string {
  const kills = table(
    ['part', 'down s', 'recovery s', 'moves while down', 'in flight at kill'],
    report.kills.map((k) => [
      k.part,
      fmt(k.downSeconds),
      k.error ? `error: ${k.error.slice(0, 60)}` : fmt(k.recoverySeconds),
      String(k.movesWhileDown),
      String(k.inFlightAtKill),
    ]),
  );
  const faults = report.faultWindows.map(
    (w) =>
      `  ${w.seconds.toFixed(0)} s, ${w.strategy}, p=${w.probability} per mode: ${pairs(w.hits)} (requests hit)`,
  );
  const o = report.orders;
  const a = report.audit;
  const audit =
    a.status === 'ok'
      ? 'audit: 0 violations'
      : a.status === 'violations'
        ? `audit: ${a.violations} violations — ${pairs(a.byCheck)}`
        : `audit: ${a.status}${a.message ? ` (${a.message})` : ''}`;
  return [
    `chaos run ${report.runId} (seed ${report.seed}, commit ${report.commit}, ${report.durationSeconds.toFixed(0)} s)`,
    `orders: ${o.planned} placed at ${report.options.rate}/s, ${o.accepted} accepted, ${o.terminal} terminal, ${o.inFlight} in flight, ${o.notAccepted} not accepted`,
    `  outcomes: ${pairs(o.byOutcome)}`,
    `  kinds: ${pairs(o.byKind)}; cancels: ${pairs(o.cancels)}; refunds: ${pairs(o.refunds)}`,
    '',
    kills,
    '',
    `SMTP outages: ${report.smtpOutages.map((s) => `${s.downSeconds.toFixed(1)} s${s.error ? ` (error: ${s.error})` : ''}`).join(', ') || 'none'}`,
    `Stripe fault windows: ${report.faultWindows.length === 0 ? 'none' : ''}`,
    ...faults,
    ...(report.faultsSkipped.length > 0
      ? [`  skipped (emulator lacks them): ${report.faultsSkipped.map((s) => s.mode).join(', ')}`]
      : []),
    ...report.crashes.map(
      (c) =>
        `CRASH: ${c.app} exited on its own at ${c.atSeconds} s${c.restarted ? ' (started again)' : ' (could not be started again)'}: ${crashLine(c.logTail)}`,
    ),
    '',
    audit,
    ...a.sample.map((v) =>
      `  ${v.check}: ${v.orderId ?? v.sku ?? ''} ${v.detail}`.replace(/\s+/g, ' ').slice(0, 200),
    ),
    '',
    report.ok ? 'chaos: PASS' : 'chaos: FAIL',
  ].join('\n');
}
