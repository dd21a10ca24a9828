// The system under test: the stack brought up if needed (`npm run stack -- up`, idempotent),
// then the four services and the saga worker started as `npm start` starts them, but on free
// ports, their own task queue and topic, fault injection off and log level warn, so a
// developer's running `npm start` neither collides with the bench nor shares its work.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { workerTuningEnv } from '@orders/orchestrator/runtime';
import { loadStackConfig, type StackConfig } from '@orders/stack/config';
import { APP_NAMES, backlogNiceness, type AppName } from '@orders/stack/apps';
import { REPO_ROOT } from '@orders/stack/repo-root';
import { components, readEnvFile } from '@orders/stack/stack';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';

export async function ensureStack(): Promise<{ config: StackConfig; env: Record<string, string> }> {
  const config = loadStackConfig();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/stack/src/cli.ts', 'up'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`stack up exited with ${code}`)),
    );
  });
  return { config, env: readEnvFile(path.join(config.dir, 'stack.env')) };
}

/** Pids of the stack's parts (each the root of its process tree). */
export async function stackPids(config: StackConfig): Promise<Record<string, number>> {
  const pids: Record<string, number> = {};
  for (const part of components(config)) {
    const pid = await part.running();
    if (pid !== undefined) pids[part.name] = pid;
  }
  return pids;
}

export interface BenchApps {
  system: RunningSystem;
  topic: string;
  taskQueue: string;
  kafka: Kafka;
  pids: Record<string, number>;
  /** Env the saga worker got: the engine ceiling's worker gets the same concurrency settings. */
  workerEnv: Record<string, string>;
  stop(): Promise<void>;
}

const APP_SOURCES: Record<string, string> = {
  order: 'services/order/src/',
  inventory: 'services/inventory/src/',
  payment: 'services/payment/src/',
  notification: 'services/notification/src/',
  worker: 'orchestrator/src/worker',
};

/** The app processes are this process's children; found by the source file they run. */
export function appPids(parent = process.pid): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      for (const [app, source] of Object.entries(APP_SOURCES))
        if (cmdline.includes(source)) pids[app] = Number(entry);
    } catch {
      // exited while listing
    }
  }
  return pids;
}

export async function startBenchApps(opts: {
  runId: string;
  stackEnv: Record<string, string>;
  logDir: string;
}): Promise<BenchApps> {
  const topic = `bench.orders.events.${opts.runId}`;
  const taskQueue = `bench-${opts.runId}`;
  const kafka = new Kafka({
    clientId: `bench-${opts.runId}`,
    brokers: (opts.stackEnv.KAFKA_BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  const ports = await freePorts();
  // The saga worker and the engine worker get the same tuning: whatever of it the caller set.
  const workerEnv = Object.fromEntries(
    Object.keys(workerTuningEnv).flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  // BENCH_CPU_PROFILE=1: every app writes V8 CPU profiles of each of its threads on exit, one folder
  // per app (profile first, then tune; `npm run bench:profiles -- <dir>` summarises them).
  const profile = (app: AppName) =>
    process.env.BENCH_CPU_PROFILE === '1'
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.logDir, 'profiles', app)}`]
      : [];
  const system = await startSystem({
    stackEnv: opts.stackEnv,
    logDir: opts.logDir,
    ports,
    taskQueue,
    eventsTopic: topic,
    consumerGroup: `bench-notification-${opts.runId}`,
    faultInjection: false,
    logLevel: 'warn',
    extraEnv: {
      // The bench's shoppers are few and fast; the per-customer limit protects the real API, not this run.
      order: { PLACEMENT_RATE_LIMIT_PER_MINUTE: '1000000' },
      worker: workerEnv,
    },
    extraNodeArgs: Object.fromEntries(APP_NAMES.map((app) => [app, profile(app)])),
    // As `npm start` runs it: the backlog's processes below the order service, like the Temporal server.
    niceness: backlogNiceness(loadStackConfig().engineNiceness),
  });
  return {
    system,
    topic,
    taskQueue,
    kafka,
    pids: appPids(),
    workerEnv,
    async stop() {
      try {
        await system.stop();
        await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
    },
  };
}
