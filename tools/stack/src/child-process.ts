// The one way the tools run a Node entry point as a child they own (the system's apps, the
// autoscaling demo's workers, the bench's helpers): output appended to a log file, ready when
// its /readyz answers or it prints a ready line, stopped with SIGTERM and then SIGKILL.
// (Infrastructure the stack keeps running across commands is started detached: processes.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { logTail, niced, sleep } from './processes';
import { REPO_ROOT } from './repo-root';

export interface NodeProcess {
  child: ChildProcess;
  logFile: string;
  /** Settles when the process has exited, however it ended. */
  exited: Promise<void>;
  /** Resolves with the first stdout line that starts with `prefix` (every line also goes to the log). */
  line(prefix: string, timeoutMs?: number): Promise<string>;
}

export function startNodeProcess(opts: {
  entry: string;
  env?: Record<string, string | undefined>;
  logFile: string;
  /** Default `--import tsx`. */
  nodeArgs?: readonly string[];
  /** Started under `nice -n N`. */
  niceness?: number;
}): NodeProcess {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const [command, args] = niced(
    process.execPath,
    [...(opts.nodeArgs ?? ['--import', 'tsx']), opts.entry],
    opts.niceness,
  );
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Two streams into one file: neither may end it while the other still writes.
  child.stderr?.pipe(log, { end: false });
  const lines = createInterface({ input: child.stdout });
  const seen: string[] = [];
  const waiting = new Set<(line: string) => void>();
  lines.on('line', (text) => {
    log.write(`${text}\n`);
    seen.push(text);
    if (seen.length > 50) seen.shift();
    for (const notify of waiting) notify(text);
  });
  child.once('close', () => log.end());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  function line(prefix: string, timeoutMs = 120_000): Promise<string> {
    const already = seen.find((text) => text.startsWith(prefix));
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        waiting.delete(onLine);
      };
      const onLine = (text: string) => {
        if (!text.startsWith(prefix)) return;
        done();
        resolve(text);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`${opts.entry} printed no "${prefix}" line in ${timeoutMs} ms${logTail(opts.logFile)}`),
        );
      }, timeoutMs);
      waiting.add(onLine);
      void exited.then(() => {
        if (!waiting.has(onLine)) return;
        done();
        reject(new Error(`${opts.entry} exited before printing "${prefix}"${logTail(opts.logFile)}`));
      });
    });
  }
  return { child, logFile: opts.logFile, exited, line };
}

export const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Polls `${baseUrl}/readyz`; throws (with the log's tail) if the process dies or never gets ready. */
export async function waitReadyz(
  proc: NodeProcess,
  baseUrl: string,
  { what = 'process', timeoutMs = 120_000 }: { what?: string; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (hasExited(proc.child))
      throw new Error(
        `${what} exited during start-up (${proc.child.exitCode ?? proc.child.signalCode})${logTail(proc.logFile)}`,
      );
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `readyz ${res.status}: ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000}s: ${last}${logTail(proc.logFile)}`);
}

/** `signal` (SIGTERM: a graceful drain), then SIGKILL if it has not exited after `graceMs`. */
export async function stopNodeProcess(
  proc: Pick<NodeProcess, 'child' | 'exited'>,
  { signal = 'SIGTERM', graceMs = 30_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<void> {
  if (hasExited(proc.child)) return;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}
