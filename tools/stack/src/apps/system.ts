// Starts the application processes as real child processes (`node --import tsx … <main>`), waits
// until each answers /readyz, and stops them — or kills one with SIGKILL, as a crash would.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../free-port';
import { hasExited, startNodeProcess, stopNodeProcess, waitReadyz, type NodeProcess } from '../child-process';
import { pidFile } from '../processes';
import {
  APP_NAMES,
  APP_NODE_ARGS,
  DEFAULT_APP_PORTS,
  entryOf,
  envOf,
  internalApiTokenOf,
  type AppName,
  type AppPorts,
  type SystemOptions,
} from './apps';

export interface RunningSystem {
  urls: Record<AppName, string>;
  /** Where each app serves GET /metrics (the worker: its one port). */
  metricsUrls: Record<AppName, string>;
  /** What the apps require on their internal routes (`Authorization: Bearer <token>`). */
  internalApiToken: string;
  options: SystemOptions;
  /** (Re)starts one app and waits until it is ready. */
  start(app: AppName): Promise<void>;
  /** Ends one app with a signal (SIGKILL simulates a crash) and waits for it to exit. */
  kill(app: AppName, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
  logFile(app: AppName): string;
  /** The running app's pid, if it runs. */
  pid(app: AppName): number | undefined;
}

export async function freePorts(): Promise<AppPorts> {
  return {
    order: await freePort(),
    inventory: await freePort(),
    payment: await freePort(),
    notification: await freePort(),
    worker: await freePort(),
    workerSdk: await freePort(),
    metrics: {
      order: await freePort(),
      inventory: await freePort(),
      payment: await freePort(),
      notification: await freePort(),
    },
  };
}

export async function startSystem(
  partial: Partial<SystemOptions> & {
    stackEnv: Record<string, string>;
    logDir: string;
    /**
     * Where to keep a pid file per app (`<app>.pid`, the format of the stack's own), so a chaos
     * run can SIGKILL an app the way it kills the infrastructure. Off unless given.
     */
    pidDir?: string;
  },
  apps: AppName[] = APP_NAMES,
): Promise<RunningSystem> {
  const options: SystemOptions = {
    ports: DEFAULT_APP_PORTS,
    taskQueue: 'orders',
    eventsTopic: 'orders.events',
    consumerGroup: 'notification-service',
    faultInjection: false,
    logLevel: 'info',
    ...partial,
  };
  mkdirSync(partial.logDir, { recursive: true });
  if (partial.pidDir) mkdirSync(partial.pidDir, { recursive: true });
  const children = new Map<AppName, NodeProcess>();
  const url = (app: AppName) => `http://127.0.0.1:${options.ports[app]}`;
  const logFile = (app: AppName) => path.join(partial.logDir, `${app}.log`);

  async function start(app: AppName): Promise<void> {
    const proc = startNodeProcess({
      entry: entryOf(app),
      env: envOf(app, options),
      logFile: logFile(app),
      nodeArgs: [...APP_NODE_ARGS, ...(options.extraNodeArgs?.[app] ?? [])],
      niceness: options.niceness?.[app],
    });
    children.set(app, proc);
    const { pidDir } = partial;
    const pid = proc.child.pid;
    if (pidDir && pid !== undefined) {
      writeFileSync(pidFile(pidDir, app), `${pid}\n${process.execPath}\n`);
      // Only this child's own file: a restarted app has written a new one by the time the old exits.
      proc.child.once('exit', () => {
        if (children.get(app)?.child.pid === pid) rmSync(pidFile(pidDir, app), { force: true });
      });
    }
    await waitReadyz(proc, url(app), { what: app, timeoutMs: 90_000 });
  }

  async function kill(app: AppName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = children.get(app);
    if (proc) await stopNodeProcess(proc, { signal });
  }

  const metricsUrl = (app: AppName) =>
    app === 'worker' ? url(app) : `http://127.0.0.1:${options.ports.metrics[app]}`;
  const system: RunningSystem = {
    urls: Object.fromEntries(APP_NAMES.map((a) => [a, url(a)])) as Record<AppName, string>,
    metricsUrls: Object.fromEntries(APP_NAMES.map((a) => [a, metricsUrl(a)])) as Record<AppName, string>,
    internalApiToken: internalApiTokenOf(options.stackEnv),
    options,
    start,
    kill,
    async stop() {
      // The worker first: it drains in-flight tasks while the services still answer.
      await kill('worker');
      await Promise.all([...children.keys()].map((app) => kill(app)));
    },
    logFile,
    pid(app) {
      const proc = children.get(app);
      return proc && !hasExited(proc.child) ? proc.child.pid : undefined;
    },
  };
  try {
    // Inventory first: the order service prices from its catalogue.
    const [first, ...rest] = apps;
    if (first) await start(first);
    await Promise.all(rest.map(start));
  } catch (err) {
    await system.stop();
    throw err;
  }
  return system;
}
