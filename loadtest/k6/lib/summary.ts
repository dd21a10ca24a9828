// handleSummary: a short text report on stdout and a JSON file with the same figures plus k6's
// raw metrics. Our own formatter rather than the jslib one, which k6 would fetch from the
// network at run time and which the type check here could not see.
import { METRICS, REQUEST_NAMES, peakRate, scenarioSeconds } from './scenario-options.ts';
import type { RunSettings } from './settings.ts';

type Values = Record<string, number | undefined>;

interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  values: Values;
  thresholds?: Record<string, { ok: boolean }>;
}

/** The part of k6's end-of-test summary data this report reads. */
export interface SummaryData {
  metrics: Record<string, SummaryMetric | undefined>;
  state?: { testRunDurationMs?: number };
}

const PLACE_DURATION = `http_req_duration{name:${REQUEST_NAMES.place}}`;

export function summarize(settings: RunSettings, data: SummaryData): Record<string, string> {
  const report = buildReport(settings, data);
  return {
    stdout: formatReport(report),
    [settings.summaryFile]: `${JSON.stringify({ ...report, metrics: data.metrics }, null, 2)}\n`,
  };
}

interface Report {
  scenario: string;
  description: string;
  baseUrl: string;
  peakRatePerSecond: number;
  plannedSeconds: number;
  testRunSeconds: number | undefined;
  passed: boolean;
  thresholds: { metric: string; expression: string; ok: boolean }[];
  results: {
    ordersAccepted: number;
    ordersAcceptedPerSecond: number;
    ordersCompleted: number;
    ordersFailed: number;
    ordersCancelled: number;
    terminalRate: number | undefined;
    placeMs: Values | undefined;
    completionMs: Values | undefined;
    httpRequests: number;
    httpFailedRate: number | undefined;
    checksRate: number | undefined;
  };
}

function buildReport(settings: RunSettings, data: SummaryData): Report {
  const m = data.metrics;
  const value = (name: string, key: string) => m[name]?.values[key];
  const count = (name: string) => value(name, 'count') ?? 0;
  const seconds =
    data.state?.testRunDurationMs === undefined ? undefined : data.state.testRunDurationMs / 1000;
  const thresholds: Report['thresholds'] = [];
  for (const [metric, entry] of Object.entries(m))
    for (const [expression, { ok }] of Object.entries(entry?.thresholds ?? {}))
      thresholds.push({ metric, expression, ok });
  return {
    scenario: settings.name,
    description: settings.scenario.description,
    baseUrl: settings.baseUrl,
    peakRatePerSecond: peakRate(settings.scenario),
    plannedSeconds: scenarioSeconds(settings.scenario),
    testRunSeconds: seconds,
    passed: thresholds.every((t) => t.ok),
    thresholds,
    results: {
      ordersAccepted: count(METRICS.accepted),
      // Per second of the scenario: k6's own counter rate would include setup and teardown.
      ordersAcceptedPerSecond: count(METRICS.accepted) / scenarioSeconds(settings.scenario),
      ordersCompleted: count(METRICS.completed),
      ordersFailed: count(METRICS.failed),
      ordersCancelled: count(METRICS.cancelled),
      terminalRate: value(METRICS.terminal, 'rate'),
      placeMs: m[PLACE_DURATION]?.values,
      completionMs: m[METRICS.completion]?.values,
      httpRequests: count('http_reqs'),
      httpFailedRate: value('http_req_failed', 'rate'),
      checksRate: value('checks', 'rate'),
    },
  };
}

const ms = (v: number | undefined) =>
  v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${v.toFixed(1)}ms`;
const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(2)}%`);
const per = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(1)}/s`);
const percentiles = (v: Values | undefined) =>
  v ? `p50 ${ms(v.med)}  p95 ${ms(v['p(95)'])}  p99 ${ms(v['p(99)'])}  max ${ms(v.max)}` : 'no samples';

export function formatReport(r: Report): string {
  const row = (label: string, text: string) => `  ${label.padEnd(24)}${text}`;
  const lines = [
    '',
    `scenario ${r.scenario}: ${r.description}`,
    row('target', `${r.baseUrl}, peak ${r.peakRatePerSecond}/s for ${r.plannedSeconds}s`),
    '',
    'thresholds',
    ...(r.thresholds.length === 0 ? ['  (none)'] : []),
    ...r.thresholds.map((t) => `  ${t.ok ? 'PASS' : 'FAIL'}  ${t.metric}  ${t.expression}`),
    '',
    'results',
    row('orders accepted', `${r.results.ordersAccepted} (${per(r.results.ordersAcceptedPerSecond)})`),
    row(
      'orders ended',
      `${r.results.ordersCompleted} completed, ${r.results.ordersFailed} failed, ${r.results.ordersCancelled} cancelled; terminal ${pct(r.results.terminalRate)}`,
    ),
    row('POST /v1/orders', percentiles(r.results.placeMs)),
    row('place -> COMPLETED', percentiles(r.results.completionMs)),
    row('http requests', `${r.results.httpRequests}, failed ${pct(r.results.httpFailedRate)}`),
    row('checks passed', pct(r.results.checksRate)),
    '',
    r.passed ? 'all thresholds passed' : 'THRESHOLDS FAILED',
    '',
  ];
  return lines.join('\n');
}
