// An app that exits without being killed has crashed: that is a finding, not a reason to stop
// the run. The watchdog records it and starts the app again, as a supervisor (Kubernetes)
// would, so the rest of the run still tells what it can. Crashes fail the run.
import { APP_NAMES } from '@orders/stack/apps';
import { sleep } from '@orders/stack/processes';
import type { Parts } from './parts';

export interface Crash {
  app: string;
  /** When the watchdog saw it gone (within its 2 s interval). */
  seenAtMs: number;
  restarted: boolean;
  /** The last lines of the app's log: why it exited. */
  logTail: string;
}

export function watchApps(opts: {
  parts: Parts;
  logTail: (app: (typeof APP_NAMES)[number]) => string;
  log: (message: string) => void;
}): { crashes: Crash[]; stop(): Promise<void> } {
  const crashes: Crash[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await sleep(2_000);
      for (const app of APP_NAMES) {
        if (stopped || opts.parts.down().includes(app)) continue;
        if ((await opts.parts.pid(app)) !== undefined) continue;
        const crash: Crash = { app, seenAtMs: Date.now(), restarted: false, logTail: opts.logTail(app) };
        crashes.push(crash);
        opts.log(`${app} exited on its own (not killed by the run); starting it again`);
        try {
          await opts.parts.restart(app);
          crash.restarted = true;
        } catch (err) {
          opts.log(`${app} could not be started again: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  })();
  return {
    crashes,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
