// Starts the application processes as real child processes (`node --import tsx … <main>`), waits
// until each answers /readyz, and stops them — or kills one with SIGKILL, as a crash would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../free-port';
import { logTail, niced, pidFile, sleep } from '../processes';
import {
  APP_NAMES,
  APP_NODE_ARGS,
  DEFAULT_APP_PORTS,
  REPO_ROOT,
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
  const children = new Map<AppName, ChildProcess>();
  const url = (app: AppName) => `http://127.0.0.1:${options.ports[app]}`;
  const logFile = (app: AppName) => path.join(partial.logDir, `${app}.log`);

  async function start(app: AppName): Promise<void> {
    const log = createWriteStream(logFile(app), { flags: 'a' });
    const nodeArgs = [...APP_NODE_ARGS, ...(options.extraNodeArgs?.[app] ?? [])];
    const [command, args] = niced(process.execPath, [...nodeArgs, entryOf(app)], options.niceness?.[app]);
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...envOf(app, options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Two streams into one file: neither may end it while the other still writes.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
    children.set(app, child);
    const { pidDir } = partial;
    if (pidDir && child.pid !== undefined) {
      writeFileSync(pidFile(pidDir, app), `${child.pid}\n${process.execPath}\n`);
      // Only this child's own file: a restarted app has written a new one by the time the old exits.
      const written = child.pid;
      child.once('exit', () => {
        if (children.get(app)?.pid === written) rmSync(pidFile(pidDir, app), { force: true });
      });
    }
    await waitReady(app, child);
  }

  async function waitReady(app: AppName, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 90_000;
    let last = '';
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${app} exited during start-up (${child.exitCode ?? child.signalCode})${logTail(logFile(app))}`,
        );
      }
      try {
        const res = await fetch(`${url(app)}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
        last = `readyz ${res.status}: ${await res.text()}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await sleep(250);
    }
    throw new Error(`${app} not ready after 90s: ${last}${logTail(logFile(app))}`);
  }

  async function kill(app: AppName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = children.get(app);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
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
      const child = children.get(app);
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
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
