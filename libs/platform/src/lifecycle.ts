// Graceful shutdown: SIGTERM/SIGINT run the registered hooks in reverse order of registration
// (stop taking work first, close clients last), then exit; a second signal exits at once.
import type { Logger } from './logger';

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
