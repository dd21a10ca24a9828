// Graceful shutdown: SIGTERM/SIGINT run the registered hooks in reverse order of registration
// (stop taking work first, close clients last), then exit; a second signal exits at once.
import { createLogger, type Logger } from './logger';

type Hook = { name: string; fn: () => Promise<void> | void };
const hooks: Hook[] = [];
let shuttingDown = false;

export function onShutdown(name: string, fn: () => Promise<void> | void): void {
  hooks.push({ name, fn });
}

export async function shutdown(logger: Logger, reason: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ reason }, 'shutting down');
  for (const hook of [...hooks].reverse()) {
    try {
      await hook.fn();
    } catch (err) {
      logger.error({ err, hook: hook.name }, 'shutdown hook failed');
    }
  }
  logger.info('shutdown complete');
}

export function installSignalHandlers(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.once(signal, () => exit(1));
      void shutdown(logger, signal).then(() => exit(0));
    });
  }
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
}

/** What every service's `start(config)` returns: where it listens, and how to stop it. */
export interface RunningService {
  /** Base URL of the HTTP server. */
  url: string;
  /** Base URL of the metrics server (GET /metrics). */
  metricsUrl: string;
  /** Stops every part in reverse order of start (stop taking work first, close clients last). Idempotent. */
  stop(): Promise<void>;
}

/** The parts a service has started, each with how to stop it. */
export interface StartedParts {
  add(name: string, stop: () => Promise<void> | void): void;
}

/**
 * Starts a service's parts in order. `build` registers each part's stop as soon as the part is
 * up; a start that fails half way closes again exactly what had started, so a test or a retried
 * start never leaks a pool or a consumer, and `stop()` closes them all in reverse.
 */
export async function composeService<T extends object>(
  logger: Logger,
  build: (parts: StartedParts) => Promise<T & Omit<RunningService, 'stop'>>,
): Promise<T & RunningService> {
  const started: Hook[] = [];
  const stopAll = async () => {
    for (const part of started.splice(0).reverse()) {
      try {
        await part.fn();
      } catch (err) {
        logger.error({ err, part: part.name }, 'stopping part of the service failed');
      }
    }
  };
  try {
    const service = await build({ add: (name, fn) => started.push({ name, fn }) });
    let stopped: Promise<void> | undefined;
    return { ...service, stop: () => (stopped ??= stopAll()) };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Every service's `main.ts`: config from the environment, the service, signal handling. A
 * service that cannot start logs why and exits non-zero (the orchestrator restarts it).
 */
export async function runService<C extends { LOG_LEVEL: string }>(
  name: string,
  loadConfig: () => C,
  start: (config: C, options: { logger: Logger }) => Promise<RunningService>,
): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(name, config.LOG_LEVEL);
  try {
    const service = await start(config, { logger });
    onShutdown(`${name} service`, () => service.stop());
    installSignalHandlers(logger);
    logger.info({ url: service.url, metrics: service.metricsUrl }, `${name} service listening`);
  } catch (err) {
    logger.fatal({ err }, `${name} service failed to start`);
    process.exit(1);
  }
}
