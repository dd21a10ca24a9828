// Small helpers for the processes the autoscaler runs: start a TypeScript entry point as a real
// Node process with its output in a log file, wait for its /readyz, end it with a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from '@orders/stack/apps';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface AppProcess {
  child: ChildProcess;
  logFile: string;
  /** Settles when the process has exited, however it ended. */
  exited: Promise<void>;
}

export function startApp(
  entry: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: readonly string[] = ['--import', 'tsx'],
): AppProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, logFile, exited };
}

export const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Polls `${baseUrl}/readyz`; throws (with the log's tail) if the process dies or never gets ready. */
export async function waitReady(app: AppProcess, baseUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (hasExited(app.child))
      throw new Error(
        `exited during start-up (${app.child.exitCode ?? app.child.signalCode})${tail(app.logFile)}`,
      );
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `readyz ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`not ready after ${timeoutMs / 1000}s: ${last}${tail(app.logFile)}`);
}

/** SIGTERM (a graceful drain), SIGKILL if it has not exited after `graceMs`. */
export async function stopApp(app: AppProcess, graceMs = 30_000): Promise<void> {
  if (hasExited(app.child)) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}

export function tail(logFile: string, lines = 15): string {
  if (!existsSync(logFile)) return '';
  const text = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `\n--- last lines of ${logFile}\n${text}`;
}
