// One chaos run, in order: the system and its catalogue; the load with the plan carried out
// alongside it (kills one at a time, Stripe fault windows, the SMTP outage); the drain until
// every order is terminal; the audit; the report. Whatever happens, no fault rule outlives the
// run, every part it killed is running again, and the apps it started are stopped.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mintTokens } from '@orders/bench/setup';
import { REPO_ROOT } from '@orders/stack/repo-root';
import { APP_NAMES } from '@orders/stack/apps';
import { sleep } from '@orders/stack/processes';
import { auditArgs, runAudit } from './audit';
import { runTrack, type ExecutorContext, type KillRecord } from './executor';
import { StripeFaults } from './faults';
import { startLoad } from './load';
import { catalogueFor, planOrders } from './mix';
import type { ChaosOptions } from './options';
import { partsOf } from './parts';
import { KILLED_PARTS, defaultRate, describeEvent, planRun } from './plan';
import { intBetween, seeded } from './random';
import { recoveryOf } from './recovery';
import { formatReport, passed, summariseOrders, type AuditSummary, type ChaosReport } from './report';
import { seedCatalogue, startChaosSystem } from './setup';
import { TERMINAL, startTracker } from './tracker';
import { watchApps } from './watchdog';

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

export interface ChaosRun {
  report: ChaosReport;
  file?: string;
}

function commitOf(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT })
      .toString()
      .trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
}

export async function runChaos(opts: ChaosOptions, stopped: () => boolean): Promise<ChaosRun> {
  const startedAt = new Date();
  const runId = `${startedAt.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
  const seed = opts.seed ?? Math.floor(Math.random() * 1_000_000);
  const t0 = Date.now();
  const elapsed = () => `${String(Math.round((Date.now() - t0) / 1000)).padStart(4)}s`;
  const log = (message: string) => console.log(`chaos [${elapsed()}] ${message}`);
  const random = seeded(seed);
  const planOpts = {
    rounds: opts.rounds,
    faults: opts.faults,
    faultWindowMs: opts.faultWindowSeconds * 1000,
    smtpOutageMs: opts.smtpOutageSeconds * 1000,
    downMs: opts.downSeconds * 1000,
    minGapMs: 5_000,
  };
  // Orders sent in bursts before each kill and fault window come off the steady clock.
  const faultEvents = (KILLED_PARTS.length + (opts.faults ? 1 : 0)) * opts.rounds;
  const burst = Math.min(opts.burst, Math.floor(opts.orders / 2 / faultEvents));
  const clockOrders = opts.orders - burst * faultEvents;
  const rate = opts.rate ?? defaultRate(clockOrders, planOpts);
  const loadMs = (clockOrders / rate) * 1000;
  const plan = planRun({ ...planOpts, loadMs }, random);
  log(
    `run ${runId}, seed ${seed}: ${opts.orders} orders, ${clockOrders} at ${rate}/s over ${Math.round(loadMs / 1000)} s and ${burst} at once before each kill and fault window`,
  );
  for (const event of [...plan.sequence, ...plan.outages].sort((a, b) => a.atMs - b.atMs))
    log(`  plan: at ${Math.round(event.atMs / 1000)} s ${describeEvent(event)}`);

  const chaos = await startChaosSystem({ runId, refundWindowSeconds: opts.refundWindowSeconds, log });
  // A run left in a hurry (a second Ctrl-C, a crash) must not leave its apps behind.
  const killApps = () => {
    for (const app of APP_NAMES) {
      const pid = chaos.system.pid(app);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    }
  };
  process.once('exit', killApps);
  const outDir = path.join(chaos.config.dir, 'chaos');
  const customerPrefix = `chaos-${runId}-`;
  const emulatorUrl = chaos.env.STRIPE_EMULATOR_URL ?? '';
  let faults: StripeFaults | undefined;
  const tracker = startTracker({ databaseUrl: chaos.env.ORDERS_DATABASE_URL ?? '', customerPrefix });
  const parts = await partsOf({ config: chaos.config, system: chaos.system, pidDir: chaos.pidDir });
  const watchdog = watchApps({ parts, log, logTail: (app) => lastLines(chaos.system.logFile(app), 12) });
  let load: ReturnType<typeof startLoad> | undefined;
  try {
    const catalogue = catalogueFor(runId, opts.orders, random);
    const baselineFile = path.join(outDir, `${runId}-stock-baseline.json`);
    await seedCatalogue({
      inventoryUrl: chaos.system.urls.inventory,
      internalApiToken: chaos.system.internalApiToken,
      catalogue,
      file: baselineFile,
    });
    const plans = planOrders(opts.orders, catalogue, random);
    const tokens = await mintTokens(runId, opts.customers, '6h', 'chaos');
    const skipped: { mode: string; reason: string }[] = [];
    if (opts.faults) {
      const support = await StripeFaults.probe(emulatorUrl, runId);
      for (const s of support.skipped) log(`warning: Stripe fault mode ${s.mode} skipped (${s.reason})`);
      if (!support.probability)
        log('warning: the emulator ignores `probability`: faults are aimed at single orders instead');
      skipped.push(...support.skipped);
      faults = new StripeFaults(emulatorUrl, support, random, log);
    }

    log(`load: placing orders through ${chaos.system.urls.order}`);
    const runStart = Date.now();
    load = startLoad({
      orderUrl: chaos.system.urls.order,
      runId,
      plans,
      rate,
      tokens,
      tracker,
      interrupted: stopped,
      onAccepted: (record) => void faults?.onOrderAccepted(record.orderId!),
    });
    const current = new Set<string>();
    const activeLoad = load;
    const timing = seeded(seed + 1);
    const ctx: ExecutorContext = {
      startedAtMs: runStart,
      parts,
      ...(faults ? { faults } : {}),
      faultProbability: opts.faultProbability,
      inFlight: () =>
        activeLoad.records.filter(
          (r) => r.orderId !== undefined && !TERMINAL.has(tracker.states.get(r.orderId)?.status ?? ''),
        ).length,
      downMs: opts.downSeconds * 1000,
      stopped,
      log,
      current,
      // A stream of its own: these draws happen at run time, after the plan's.
      beforeFault: async () => {
        const sent = await activeLoad.burst(burst);
        // A saga here takes about a second: this lands the kill somewhere inside the burst's sagas.
        if (sent > 0) await sleep(intBetween(timing, 150, 700));
      },
    };
    const done = { kills: [] as KillRecord[], outages: [] as KillRecord[] };
    const progress = setInterval(() => {
      const accepted = activeLoad.records.filter((r) => r.orderId).length;
      log(
        `orders placed ${activeLoad.records.length}/${opts.orders}, accepted ${accepted}, terminal ${tracker.terminal()}, in flight ${tracker.inFlight()}` +
          `${tracker.failingPolls() > 0 ? ' (orders table unreachable)' : ''} | now: ${[...current].join(' + ') || 'steady'}`,
      );
    }, 5_000);
    try {
      await Promise.all([
        runTrack(plan.sequence, ctx, done),
        runTrack(plan.outages, ctx, done),
        activeLoad.placed,
      ]);
      log('all orders placed and every planned fault done; waiting for the sagas to end');
      const drainDeadline = Date.now() + opts.drainTimeoutSeconds * 1000;
      while (!stopped() && Date.now() < drainDeadline) {
        if (activeLoad.pending() === 0 && tracker.inFlight() === 0 && tracker.failingPolls() === 0) break;
        await sleep(1_000);
      }
    } finally {
      clearInterval(progress);
    }
    if (tracker.inFlight() > 0) log(`${tracker.inFlight()} orders still not terminal`);

    let audit: AuditSummary;
    if (stopped()) {
      audit = {
        status: 'error',
        exitCode: null,
        violations: 0,
        byCheck: {},
        sample: [],
        message: 'interrupted',
      };
    } else {
      log('running the audit');
      const since = new Date(runStart - 1_000).toISOString();
      audit = await runAudit({
        repoRoot: REPO_ROOT,
        env: { ...chaos.env, STACK_DIR: chaos.config.dir },
        args: auditArgs({ since, topic: chaos.topic, stockBaseline: baselineFile, customerPrefix }),
      });
    }

    const sequenceStarts = done.kills.map((k) => k.killedAtMs).sort((a, b) => a - b);
    const nextAfter = (t: number) => sequenceStarts.find((s) => s > t) ?? Infinity;
    const orders = summariseOrders(activeLoad.records, tracker.states);
    const report: ChaosReport = {
      runId,
      seed,
      commit: commitOf(),
      startedAt: startedAt.toISOString(),
      durationSeconds: (Date.now() - t0) / 1000,
      options: {
        orders: opts.orders,
        rate,
        rounds: opts.rounds,
        faults: opts.faults,
        refundWindowSeconds: opts.refundWindowSeconds,
      },
      kills: done.kills.map((k) => ({
        part: k.part,
        inFlightAtKill: k.inFlightAtKill,
        ...recoveryOf(k, tracker.progressAtMs, nextAfter(k.killedAtMs)),
        ...(k.error ? { error: k.error } : {}),
      })),
      smtpOutages: done.outages.map((o) => ({
        downSeconds: Math.round((o.readyAtMs - o.killedAtMs) / 100) / 10,
        ...(o.error ? { error: o.error } : {}),
      })),
      faultWindows: (faults?.windows ?? []).map((w) => ({
        ...w,
        seconds: ((w.endedAtMs ?? Date.now()) - w.startedAtMs) / 1000,
      })),
      faultsSkipped: skipped,
      crashes: watchdog.crashes.map((c) => ({
        app: c.app,
        atSeconds: Math.round((c.seenAtMs - runStart) / 1000),
        restarted: c.restarted,
        logTail: c.logTail,
      })),
      orders,
      audit,
      ok: passed(orders, audit) && watchdog.crashes.length === 0,
    };
    console.log(`\n${formatReport(report)}\n`);
    let file: string | undefined;
    if (opts.json) {
      mkdirSync(outDir, { recursive: true });
      file = path.join(outDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      log(`report written to ${file}`);
    }
    return { report, ...(file ? { file } : {}) };
  } finally {
    load?.stop();
    await watchdog.stop();
    await faults?.clear().catch(() => undefined);
    for (const part of parts.down()) {
      log(`bringing ${part} back (it was down when the run ended)`);
      await parts.restart(part).catch((err: unknown) => log(`could not restart ${part}: ${String(err)}`));
    }
    await tracker.stop();
    log('stopping the services and the worker');
    await chaos.stop(opts.keep);
    process.off('exit', killApps);
  }
}
