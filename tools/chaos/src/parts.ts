// Killing and restarting one part the way a crash and the stack would: SIGKILL by the pid the
// stack recorded (the infrastructure's pid files, the apps' pid files in the run's own folder;
// never by process name), the whole tree under it, then start it again exactly as the stack
// does — the component's start() and ready() for infrastructure, the system's start(app) for
// an app (which waits for /readyz).
import type { StackConfig } from '@orders/stack/config';
import { killTree, runningPid } from '@orders/stack/processes';
import { components } from '@orders/stack/stack';
import type { RunningSystem } from '@orders/stack/system';
import type { AppName } from '@orders/stack/apps';
import type { KilledPart } from './plan';

export type Part = KilledPart | 'mailpit';
type Component = ReturnType<typeof components>[number];

const APPS = new Set<string>(['worker', 'order', 'inventory', 'payment', 'notification']);
const isApp = (part: Part): part is AppName => APPS.has(part);

export interface Kill {
  part: Part;
  pids: number[];
  killedAtMs: number;
}

export interface Parts {
  pid(part: Part): Promise<number | undefined>;
  kill(part: Part): Promise<Kill>;
  /** Starts the part and resolves once it is ready; returns when the start began. */
  restart(part: Part): Promise<{ startedAtMs: number; readyAtMs: number }>;
  /** Parts killed and not yet ready again (what a torn-down run must bring back). */
  down(): Part[];
}

export async function partsOf(opts: {
  config: StackConfig;
  system: RunningSystem;
  pidDir: string;
  readyTimeoutMs?: number;
}): Promise<Parts> {
  const infra = new Map<string, Component>(components(opts.config).map((c) => [c.name, c]));
  // install() only locates cached binaries here; start() needs them located.
  await Promise.all([...infra.values()].map((c) => c.install()));
  const down = new Set<Part>();
  const component = (part: Part): Component => {
    const found = infra.get(part);
    if (!found) throw new Error(`no stack component named ${part}`);
    return found;
  };

  const pid = async (part: Part) =>
    isApp(part) ? runningPid(opts.pidDir, part) : await component(part).running();

  return {
    pid,
    async kill(part) {
      const root = await pid(part);
      if (root === undefined) throw new Error(`cannot kill ${part}: no running pid in its pid file`);
      const killedAtMs = Date.now();
      down.add(part);
      const pids = await killTree(root);
      return { part, pids, killedAtMs };
    },
    async restart(part) {
      const startedAtMs = Date.now();
      if (isApp(part)) {
        await opts.system.start(part);
      } else {
        const c = component(part);
        await c.start();
        await c.ready(opts.readyTimeoutMs ?? 180_000);
      }
      down.delete(part);
      return { startedAtMs, readyAtMs: Date.now() };
    },
    down: () => [...down],
  };
}
