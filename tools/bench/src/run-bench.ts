// One bench run, in order: stack and apps, setup, the load with CPU sampled, the drain until
// every accepted order has ended, then the engine and HTTP ceilings on the same machine, and
// the report. Apps the bench started are stopped whatever happens.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyseLoad, timeline } from './analyse';
import { rampChartSvg } from './chart';
import { orderCreationTimes, watchCompletions } from './completions';
import { CpuSampler, reapedChildrenCpuSeconds } from './cpu';
import { measureEngineCeiling } from './engine-ceiling';
import { measureHttpCeiling } from './http-ceiling';
import { runLoad } from './load';
import { checkThresholds, cpuPerSaga, formatTable, machine, type BenchReport } from './report';
import { expandSteps, expectedCounts, loadScenarioFile, mixOf, type Overrides } from './scenarios';
import { mintTokens, prepareOrders, splitPools, upsertCatalogue } from './setup';
import { REPO_ROOT } from '@orders/stack/repo-root';
import { ensureStack, stackPids, startBenchApps } from './system';
import { targetStream } from './targets';
import { ensureVegeta } from './vegeta';

export interface BenchOptions {
  scenario: string;
  overrides: Overrides;
  skipCeilings: boolean;
  ceilingMs: number;
  drainTimeoutMs: number;
  engineConcurrency: number;
  httpWorkers: number;
  /** Orders placed and completed before the load, when the scenario needs no pools of its own. */
  warmupOrders: number;
  outDir: string;
}

/** Targets a vegeta step reads ahead and never sends (a pipe buffer's worth, measured: see targetsGenerated). */
const VEGETA_READ_AHEAD = 250;

const log = (message: string) => console.log(`bench: ${message}`);

export async function runBench(opts: BenchOptions): Promise<{ report: BenchReport; files: string[] }> {
  const file = loadScenarioFile();
  const scenario = file.scenarios[opts.scenario];
  if (!scenario)
    throw new Error(
      `unknown scenario "${opts.scenario}"; the file has ${Object.keys(file.scenarios).join(', ')}`,
    );
  const steps = expandSteps(scenario, opts.overrides);
  const startedAt = new Date();
  const runId = `${startedAt.getTime().toString(36)}${randomBytes(2).toString('hex')}`;

  const { config, env } = await ensureStack();
  const vegeta = await ensureVegeta(config.cacheDir);
  const logDir = path.join(config.logDir, `bench-${runId}`);
  mkdirSync(logDir, { recursive: true });
  log(`run ${runId}: starting the services and the worker (logs in ${logDir})`);
  const apps = await startBenchApps({ runId, stackEnv: env, logDir });
  // Ctrl-C reaches the apps too (same process group); this only makes sure the run's topic goes.
  const interrupted = () => {
    log('interrupted: stopping the services and the worker');
    void apps.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const watcher = await watchCompletions(apps.kafka, apps.topic, `bench-observer-${runId}`);
  try {
    const peak = Math.max(...steps.map((s) => s.rate));
    const tokens = await mintTokens(runId, Math.max(20, Math.ceil(peak)));
    await upsertCatalogue(apps.system.urls.inventory, apps.system.internalApiToken, file.catalogue);

    const mix = mixOf(scenario);
    const expected = expectedCounts(steps, mix);
    // vegeta reads a pipe's worth of targets ahead in each step, and those are lost at its end.
    const cancelShare = mix.cancel / (mix.place + mix.follow + mix.cancel + mix.refund);
    const cancelsNeeded =
      expected.cancel > 0
        ? Math.ceil(expected.cancel * 1.1 + VEGETA_READ_AHEAD * cancelShare * steps.length)
        : 0;
    const needsPool = cancelsNeeded > 0 || expected.refund > 0 || expected.follow > 0;
    // A few sagas run before the load in any case: the first ones pay for connections and caches.
    const toPrepare = needsPool
      ? Math.max(scenario.setup?.ordersToPrepare ?? 0, cancelsNeeded + 20)
      : opts.warmupOrders;
    log(
      `setup: ${toPrepare} orders placed and completed before the load (warm-up; follow / cancel / refund act on them)`,
    );
    const prepared = await prepareOrders({
      baseUrl: apps.system.urls.order,
      runId,
      count: toPrepare,
      catalogue: file.catalogue,
      tokens,
      watcher,
      timeoutMs: Math.max(120_000, toPrepare * 1_000),
    });
    const pools = splitPools(prepared, cancelsNeeded);
    const targets = targetStream({
      baseUrl: apps.system.urls.order,
      runId,
      catalogue: file.catalogue,
      customerTokens: tokens.customers,
      supportToken: tokens.support,
      mix,
      ...pools,
    });

    const cpu = new CpuSampler();
    for (const [name, pid] of Object.entries({ ...apps.pids, ...(await stackPids(config)) }))
      cpu.track(name, pid);
    const selfBefore = process.cpuUsage();
    const reapedBefore = reapedChildrenCpuSeconds();
    cpu.start();
    const load = await runLoad({
      vegeta,
      steps,
      targets,
      runId,
      onStep: (i, s) => log(`load step ${i + 1}/${steps.length}: ${s.rate}/s for ${s.durationMs / 1000} s`),
    });
    const vegetaCpu = reapedChildrenCpuSeconds() - reapedBefore;
    const accepted = load.hits.flatMap((h) => (h.orderId ? [h.orderId] : []));
    log(`load done: ${load.hits.length} requests; waiting for ${accepted.length} sagas to end`);
    const drainStart = Date.now();
    const open = await watcher.waitFor(accepted, opts.drainTimeoutMs);
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const cpuResult = cpu.stop();
    const self = process.cpuUsage(selfBefore);
    cpuResult.cpuSeconds.vegeta = Math.round(vegetaCpu * 100) / 100;
    cpuResult.cpuSeconds['bench driver'] = Math.round((self.user + self.system) / 1e4) / 100;
    if (open.length > 0) log(`${open.length} orders still open after ${opts.drainTimeoutMs / 1000} s`);

    const createdAt = await orderCreationTimes(env.ORDERS_DATABASE_URL ?? '', accepted);
    const { load: loadFigures, completions } = analyseLoad({
      load,
      steps,
      terminal: watcher.terminal,
      createdAt,
      drainSeconds,
    });

    const report: BenchReport = {
      scenario: opts.scenario,
      description: scenario.description,
      runId,
      startedAt: startedAt.toISOString(),
      warmupOrders: toPrepare,
      machine: machine(),
      steps,
      load: loadFigures,
      cpu: { windowSeconds: cpuResult.windowSeconds, seconds: cpuResult.cpuSeconds },
      cpuPerSaga: cpuPerSaga(cpuResult.cpuSeconds, loadFigures.outcomes),
      thresholds: checkThresholds(scenario, loadFigures),
      timeline: timeline(load, steps, completions),
    };

    if (!opts.skipCeilings) {
      const temporalPid = (await stackPids(config)).temporal;
      log(`engine ceiling: ${opts.ceilingMs / 1000} s, ${opts.engineConcurrency} workflows in flight`);
      const engineCpu = new CpuSampler();
      if (temporalPid) engineCpu.track('temporal', temporalPid);
      const engine = await measureEngineCeiling({
        temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
        durationMs: opts.ceilingMs,
        concurrency: opts.engineConcurrency,
        logDir,
        workerEnv: apps.workerEnv,
        cpu: engineCpu,
      });
      const engineCpuSeconds = engineCpu.stop().cpuSeconds;
      log(`HTTP ceiling: ${opts.ceilingMs / 1000} s, ${opts.httpWorkers} vegeta workers`);
      const httpCpu = new CpuSampler();
      const http = await measureHttpCeiling({
        vegeta,
        durationMs: opts.ceilingMs,
        workers: opts.httpWorkers,
        logDir,
        cpu: httpCpu,
      });
      report.ceilings = {
        seconds: opts.ceilingMs / 1000,
        engine: { ...engine, cpuSeconds: engineCpuSeconds },
        http: { ...http, cpuSeconds: { ...httpCpu.stop().cpuSeconds, vegeta: http.vegetaCpuSeconds } },
      };
      report.ratios = {
        sagaToEngine: ratio(loadFigures.sagasCompletedPerSec, engine.workflowsPerSec),
        acceptToHttp: ratio(loadFigures.ordersAcceptedPerSec, http.requestsPerSec),
      };
    }

    const files = writeReport(report, opts.outDir, scenario.executor === 'ramping-arrival-rate');
    console.log(`\n${formatTable(report)}\n`);
    for (const f of files) log(`wrote ${path.relative(REPO_ROOT, f)}`);
    return { report, files };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await watcher.stop().catch(() => undefined);
    await apps.stop();
  }
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1e4) / 1e4 : Number.NaN);

function writeReport(report: BenchReport, outDir: string, chart: boolean): string[] {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const base = path.join(outDir, `${report.scenario}-${stamp}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const files = [`${base}.json`];
  if (chart && report.timeline) {
    const title = `${report.scenario}: throughput and p99 per second (${report.machine.cpus} cores, ${report.startedAt.slice(0, 10)})`;
    writeFileSync(`${base}.svg`, rampChartSvg(report.timeline, title));
    files.push(`${base}.svg`);
  }
  return files;
}
