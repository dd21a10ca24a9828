// The bench's own helper processes (the engine worker, the hello-world server): started with
// `node --import tsx`, ready when they print their ready line, stopped by their own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BENCH_SRC = fileURLToPath(new URL('.', import.meta.url));

export interface Child {
  pid: number;
  /** The first stdout line, e.g. "ready" or "listening 34567". */
  readyLine: string;
  stop(): Promise<void>;
}

export async function startChild(opts: {
  entry: string;
  env: Record<string, string>;
  logFile: string;
  readyPrefix: string;
  timeoutMs?: number;
}): Promise<Child> {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', opts.entry], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log);
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`${opts.entry} not ready after ${opts.timeoutMs ?? 120_000} ms; see ${opts.logFile}`),
        ),
      opts.timeoutMs ?? 120_000,
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(opts.readyPrefix)) {
        clearTimeout(timer);
        resolve(line);
      } else log.write(`${line}\n`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.entry} exited with ${code} before it was ready; see ${opts.logFile}`));
    });
  });
  return { pid: child.pid!, readyLine, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
