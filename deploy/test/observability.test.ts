// The Grafana dashboard, the Prometheus alert rules and the prometheus-adapter rule: they parse,
// and they query the metric names the worker and services really export.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { INSTALL_TIMEOUT_MS, REPO_ROOT, asArray, asRecord, at, parseYamlDocuments } from './helpers';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
/** Registered in orchestrator/src/metrics/, the order service's saga starter and libs/platform. */
const EXPORTED = [
  'orders_saga_start_queue_oldest_age_seconds',
  'orders_saga_start_queue_length',
  'orders_saga_starts_total',
  'orders_saga_completed_total',
  'orders_task_queue_backlog',
  'orders_task_queue_tasks_dispatch_rate',
  'orders_compensations_stuck',
  'orders_compensations_total',
  'orders_service_call_unexpected_status_total',
  'orders_saga_step_duration_seconds_bucket',
  'http_server_request_duration_seconds_bucket',
  'http_server_requests_total',
];
const metricNames = (expr: string) =>
  [...expr.matchAll(/\b((?:orders|http_server)_[a-z_]+)\b/g)].map((m) => String(m[1]));

test('the exported metric names are the ones the artefacts use', () => {
  const sources = [
    read('orchestrator/src/metrics/saga-metrics.ts'),
    read('orchestrator/src/metrics/task-queue-backlog.ts'),
    read('services/order/src/saga-starter.ts'),
    read('libs/platform/src/metrics.ts'),
  ].join('\n');
  for (const name of EXPORTED) {
    assert.ok(sources.includes(`'${name.replace(/_bucket$/, '')}'`), `${name} is registered by the code`);
  }
});

test('the Grafana dashboard covers outcomes, backlog, stuck compensations and HTTP latency', () => {
  const dashboard = JSON.parse(read('deploy/grafana/order-platform.json')) as Record<string, unknown>;
  assert.equal(dashboard.uid, 'order-platform');
  const panels = asArray(dashboard.panels);
  const exprs = panels.flatMap((p) => asArray(at(p, 'targets')).map((t) => String(at(t, 'expr'))));
  for (const expr of exprs) {
    for (const name of metricNames(expr))
      assert.ok(EXPORTED.includes(name), `dashboard uses unknown metric ${name}`);
  }
  const used = new Set(exprs.flatMap(metricNames));
  for (const name of [
    'orders_saga_completed_total',
    'orders_task_queue_backlog',
    'orders_compensations_stuck',
    'http_server_request_duration_seconds_bucket',
  ]) {
    assert.ok(used.has(name), `dashboard shows ${name}`);
  }
  const ids = panels.map((p) => asRecord(p).id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
});

test(
  'alert rules parse, have the expected alerts and use only exported metrics',
  { timeout: INSTALL_TIMEOUT_MS },
  async () => {
    const [rules] = await parseYamlDocuments(read('deploy/prometheus/alerts.yaml'));
    const alerts = asArray(at(rules, 'groups')).flatMap((g) => asArray(at(g, 'rules')));
    const byName = new Map(alerts.map((a) => [String(at(a, 'alert')), asRecord(a)]));
    for (const name of [
      'OrderSagaFailureRateHigh',
      'OrderTaskQueueBacklogHigh',
      'OrderCompensationsStuck',
      'OrderSagasStalled',
      'OrderSagaStepsSlow',
      'OrderSagaStartsDelayed',
      'OrderParticipantRefusesWithoutCode',
    ]) {
      assert.ok(byName.has(name), `alert ${name}`);
    }
    for (const [name, alert] of byName) {
      assert.equal(typeof alert.expr, 'string', `${name} expr`);
      assert.match(String(alert.for), /^\d+m$/, `${name} for`);
      assert.ok(['warning', 'critical'].includes(String(at(alert, 'labels.severity'))), `${name} severity`);
      assert.ok(at(alert, 'annotations.summary'), `${name} summary`);
      for (const metric of metricNames(String(alert.expr)))
        assert.ok(EXPORTED.includes(metric), `${name} uses ${metric}`);
    }
  },
);

test(
  'prometheus-adapter serves orders_task_queue_backlog as temporal_task_queue_backlog',
  { timeout: INSTALL_TIMEOUT_MS },
  async () => {
    const [values] = await parseYamlDocuments(read('deploy/prometheus/prometheus-adapter-values.yaml'));
    const rule = asRecord(asArray(at(values, 'rules.external'))[0]);
    assert.match(String(rule.seriesQuery), /^orders_task_queue_backlog\{/);
    assert.equal(at(rule, 'name.as'), 'temporal_task_queue_backlog');
    assert.match(String(rule.metricsQuery), /<<\.LabelMatchers>>/);
    assert.match(String(rule.metricsQuery), /<<\.GroupBy>>/);
  },
);
