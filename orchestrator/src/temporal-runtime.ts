// The Temporal SDK runtime and worker tuning shared by the saga worker and by the bench's engine
// worker, so the engine ceiling is measured with exactly the settings the saga runs with.
import { Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from '@orders/platform';
import { z } from 'zod';

/**
 * Routes the SDK core's logs into pino and, with `prometheusAddress`, serves the core's own worker
 * metrics (temporal_*: task slots, poll and schedule-to-start latency, sticky cache) there. They
 * cannot share prom-client's registry, hence a second scrape target; durations are in seconds to
 * match our own histograms. Must run before the first connection is made.
 */
export function installTemporalRuntime(logger: Logger, options: { prometheusAddress?: string } = {}): void {
  Runtime.install({
    logger: {
      log: (level, message, meta) =>
        logger[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](
          { ...meta },
          message,
        ),
      trace: (message, meta) => logger.trace({ ...meta }, message),
      debug: (message, meta) => logger.debug({ ...meta }, message),
      info: (message, meta) => logger.info({ ...meta }, message),
      warn: (message, meta) => logger.warn({ ...meta }, message),
      error: (message, meta) => logger.error({ ...meta }, message),
    },
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(options.prometheusAddress && {
        metrics: { prometheus: { bindAddress: options.prometheusAddress, useSecondsForDurations: true } },
      }),
    },
  });
}

/** The worker's slots and cache, from env; the saga worker and the bench's engine worker share them. */
export const workerTuningEnv = {
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(40),
  /**
   * Workflows kept in memory between tasks. The SDK's default follows the main heap (about 2,300
   * here) but the workflows live in a worker thread with its own heap: a spike of 3,000 sagas
   * (each held for its refund window) ran that thread out of memory and killed the worker. An
   * evicted saga costs one replay of its short history when it next has work.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
};

export type WorkerTuningConfig = { [K in keyof typeof workerTuningEnv]: number };

/** Slots, cache and shutdown grace of the saga worker. */
export const workerTuning = (config: WorkerTuningConfig) =>
  ({
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    // With a cache, slots beyond it would be lowered by the SDK with a warning; without one, any number goes.
    maxConcurrentWorkflowTaskExecutions:
      config.WORKER_MAX_CACHED_WORKFLOWS === 0
        ? config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS
        : Math.min(
            config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
            Math.max(config.WORKER_MAX_CACHED_WORKFLOWS, 2),
          ),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '20 seconds',
  }) satisfies Partial<WorkerOptions>;
