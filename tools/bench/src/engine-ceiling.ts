// Ceiling (a): how many workflows of six no-op activities per second this Temporal server, with
// its persistence settings, and a worker with the saga worker's options complete at saturation.
// A closed loop keeps `concurrency` workflows in flight, well above what the worker runs at
// once, so the engine, not the driver, is the limit.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { BENCH_SRC, startChild } from './children';
import type { CpuSampler } from './cpu';
import { summarize, type Percentiles } from './stats';
import type { sixNoOps } from './engine/workflows';

export interface EngineCeiling {
  workflowsPerSec: number;
  completed: number;
  measuredSeconds: number;
  concurrency: number;
  workflowLatencyMs: Percentiles;
  errors: number;
}

export async function measureEngineCeiling(opts: {
  temporalAddress: string;
  namespace?: string;
  durationMs: number;
  concurrency: number;
  logDir: string;
  /** Env for the worker: the same WORKER_MAX_* the saga worker was given. */
  workerEnv: Record<string, string>;
  cpu?: CpuSampler;
}): Promise<EngineCeiling> {
  const taskQueue = `bench-engine-${randomUUID().slice(0, 8)}`;
  const worker = await startChild({
    entry: path.join(BENCH_SRC, 'engine/worker.ts'),
    env: {
      ...opts.workerEnv,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      TEMPORAL_NAMESPACE: opts.namespace ?? 'default',
      BENCH_ENGINE_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'warn',
    },
    logFile: path.join(opts.logDir, 'engine-worker.log'),
    readyPrefix: 'ready',
  });
  opts.cpu?.track('engine worker', worker.pid);
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const client = new Client({ connection, namespace: opts.namespace ?? 'default' });
  try {
    let n = 0;
    const run = () =>
      client.workflow.execute<typeof sixNoOps>('sixNoOps', {
        taskQueue,
        workflowId: `${taskQueue}-${n++}`,
        args: [],
      });
    // One small batch first: the worker's first tasks pay for connections and caches.
    await Promise.all(Array.from({ length: Math.min(20, opts.concurrency) }, run));
    const startedAt = Date.now();
    // The first round of the closed loop starts everything at once; the rate is read after it.
    const warmupMs = Math.min(3_000, opts.durationMs * 0.1);
    const windowStart = startedAt + warmupMs;
    const endAt = startedAt + opts.durationMs;
    const latencies: number[] = [];
    let completed = 0;
    let errors = 0;
    opts.cpu?.start();
    const loop = async () => {
      while (Date.now() < endAt) {
        const t0 = Date.now();
        try {
          await run();
        } catch {
          errors += 1;
          continue;
        }
        const t1 = Date.now();
        if (t1 >= windowStart && t1 <= endAt) {
          completed += 1;
          latencies.push(t1 - t0);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, loop));
    const measuredSeconds = (endAt - windowStart) / 1000;
    return {
      workflowsPerSec: Math.round((completed / measuredSeconds) * 10) / 10,
      completed,
      measuredSeconds,
      concurrency: opts.concurrency,
      workflowLatencyMs: summarize(latencies),
      errors,
    };
  } finally {
    await connection.close();
    await worker.stop();
  }
}
