// `npm run autoscale-demo`: the worker HPA's rule, run locally on real processes. Brings the stack
// up (or reuses the running one), starts the services, one worker and the backlog exporter, places
// orders faster than one worker drains them, and lets the autoscaler start and stop workers on the
// backlog metric. Prints the timeline and writes it to .stack/autoscaler/timeline.json.
//
// The chart's HPA parameters are used with a smaller target (so a short run crosses it) and a
// compressed clock (every window and policy period x --time-scale, sync period --sync).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@orders/platform';
import { REPO_ROOT } from '@orders/stack/apps';
import { loadStackConfig } from '@orders/stack/config';
import { readEnvFile } from '@orders/stack/stack';
import type { Sample } from './autoscaler';
import { chartHpaSpec } from './chart-values';
import { compressTime, type HpaSpec } from './hpa';
import { runScenario, type ScenarioResult } from './scenario';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '150' },
    rate: { type: 'string', default: '10' },
    target: { type: 'string', default: '5' },
    min: { type: 'string', default: '1' },
    max: { type: 'string', default: '4' },
    sync: { type: 'string', default: '2' },
    'time-scale': { type: 'string', default: '0.1' },
    'workflow-slots': { type: 'string', default: '40' },
    'activity-slots': { type: 'string', default: '2' },
    timeout: { type: 'string', default: '600' },
  },
});
const num = (name: keyof typeof args): number => {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
};

const OUT_DIR = path.join(REPO_ROOT, '.stack', 'autoscaler');
const logger = createLogger('autoscaler', process.env.LOG_LEVEL ?? 'warn');

function stackUp(): Record<string, string> {
  console.log('== stack: up (reuses a running stack) ==');
  const cli = path.join(REPO_ROOT, 'tools/stack/src/cli.ts');
  const up = spawnSync(process.execPath, ['--import', 'tsx', cli, 'up'], {
    stdio: 'inherit',
    cwd: REPO_ROOT,
  });
  if (up.status !== 0) throw new Error(`stack up failed (exit ${up.status})`);
  return readEnvFile(path.join(loadStackConfig().dir, 'stack.env'));
}

function describe(spec: HpaSpec, syncSeconds: number): string {
  const rules = (r: HpaSpec['behavior']['scaleUp']) =>
    `window ${r.stabilizationWindowSeconds}s, ${r.selectPolicy} of ${r.policies
      .map((p) => `${p.type === 'Pods' ? `+${p.value} pods` : `${p.value}%`}/${p.periodSeconds}s`)
      .join(', ')}`;
  return [
    `target ${spec.targetAverageValue} backlog tasks per worker, ${spec.minReplicas}..${spec.maxReplicas} workers, tolerance ${spec.tolerance}, sync ${syncSeconds}s`,
    `scale up:   ${rules(spec.behavior.scaleUp)}`,
    `scale down: ${rules(spec.behavior.scaleDown)}`,
  ].join('\n');
}

const HEADER = '    t  backlog  workers  ready  proposal  desired  placed  done  reason';
function row(s: Sample): string {
  const cell = (v: number | null | undefined, w: number) => String(v ?? '-').padStart(w);
  const bar = '#'.repeat(Math.min(40, Math.ceil((s.backlog ?? 0) / 2)));
  return (
    `${s.t.toFixed(1).padStart(5)}  ${cell(s.backlog, 7)}  ${cell(s.workers, 7)}  ${cell(s.ready, 5)}  ` +
    `${cell(s.proposal, 8)}  ${cell(s.desired, 7)}  ${cell(s.extra?.placed, 6)}  ` +
    `${cell((s.extra?.completed ?? 0) + (s.extra?.failed ?? 0), 4)}  ${s.reason.padEnd(19)} ${bar}`
  );
}

const changed = (a: Sample | undefined, b: Sample) =>
  !a || a.backlog !== b.backlog || a.workers !== b.workers || a.ready !== b.ready || a.desired !== b.desired;

/** Rows where something the eye follows changed; the rest repeat the row above. */
function compact(timeline: Sample[]): Sample[] {
  return timeline.filter((s, i) => i === timeline.length - 1 || changed(timeline[i - 1], s));
}

function summary(result: ScenarioResult, spec: HpaSpec): string {
  const peak = (pick: (s: Sample) => number | null) => Math.max(...result.timeline.map((s) => pick(s) ?? 0));
  const { placed, rejected, completed, failed } = result.counts;
  return [
    `orders placed ${placed} (rejected ${rejected}); sagas completed ${completed}, failed ${failed}`,
    `peak backlog ${peak((s) => s.backlog)} (target ${spec.targetAverageValue}/worker); peak workers ${peak((s) => s.workers)} (max ${spec.maxReplicas})`,
    `all sagas finished at ${result.sagasFinishedAt}s; backlog 0 and back to ${spec.minReplicas} worker(s) at ${result.scaledDownAt}s`,
    'note: this machine has 2 cores, so extra workers add task slots but little CPU; the point',
    'is the control loop (metric -> HPA rule -> processes), not the throughput it buys here.',
  ].join('\n');
}

async function main(): Promise<void> {
  const syncSeconds = num('sync');
  const spec = compressTime(
    {
      ...chartHpaSpec(),
      targetAverageValue: num('target'),
      minReplicas: num('min'),
      maxReplicas: num('max'),
    },
    num('time-scale'),
  );
  const stackEnv = stackUp();
  mkdirSync(OUT_DIR, { recursive: true });
  const logDir = path.join(OUT_DIR, 'logs', new Date().toISOString().replace(/[:.]/g, '-'));

  console.log(
    `\n== autoscaler (the chart's HPA, clock x${num('time-scale')}) ==\n${describe(spec, syncSeconds)}`,
  );
  console.log(`load: ${num('orders')} orders at ${num('rate') || 'once (burst)'}/s; logs in ${logDir}\n`);
  console.log(HEADER);
  let previous: Sample | undefined;
  const result = await runScenario({
    stackEnv,
    logDir,
    logger,
    hpa: spec,
    syncPeriodMs: syncSeconds * 1000,
    orders: num('orders'),
    ratePerSecond: num('rate'),
    workerSlots: { workflowTasks: num('workflow-slots'), activities: num('activity-slots') },
    timeoutMs: num('timeout') * 1000,
    onSample: (sample) => {
      if (changed(previous, sample)) console.log(row(sample));
      previous = sample;
    },
  });

  const file = path.join(OUT_DIR, 'timeline.json');
  writeFileSync(
    file,
    `${JSON.stringify({ spec, syncSeconds, taskQueue: result.taskQueue, counts: result.counts, timeline: result.timeline }, null, 2)}\n`,
  );
  console.log(`\n== timeline (rows where backlog or workers changed) ==\n${HEADER}`);
  for (const sample of compact(result.timeline)) console.log(row(sample));
  console.log(`\n${summary(result, spec)}\ntimeline: ${path.relative(REPO_ROOT, file)}`);
  if (result.counts.failed > 0 || result.counts.rejected > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
