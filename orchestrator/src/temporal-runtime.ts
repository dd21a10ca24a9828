// The Temporal SDK runtime and worker tuning shared by the saga worker and by the bench's engine
// worker, so the engine ceiling is measured with exactly the settings the saga runs with.
import { Runtime, makeTelemetryFilterString, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from '@orders/platform';

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

export interface WorkerTuningConfig {
  WORKER_MAX_CONCURRENT_ACTIVITIES: number;
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: number;
}

/** Slots and shutdown grace of the saga worker. */
export const workerTuning = (config: WorkerTuningConfig) =>
  ({
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    shutdownGraceTime: '20 seconds',
  }) satisfies Partial<WorkerOptions>;
