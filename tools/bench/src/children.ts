// The bench's own helper processes (the engine worker, the hello-world server), started with the
// stack's one launcher and ready when they print their ready line.
import { fileURLToPath } from 'node:url';
import { startNodeProcess, stopNodeProcess } from '@orders/stack/child-process';

export const BENCH_SRC = fileURLToPath(new URL('.', import.meta.url));

export interface Child {
  pid: number;
  /** The first stdout line starting with the ready prefix, e.g. "ready" or "listening 34567". */
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
  const proc = startNodeProcess({ entry: opts.entry, env: opts.env, logFile: opts.logFile });
  try {
    const readyLine = await proc.line(opts.readyPrefix, opts.timeoutMs);
    const pid = proc.child.pid;
    if (pid === undefined) throw new Error(`${opts.entry} has no pid`);
    return { pid, readyLine, stop: () => stopNodeProcess(proc) };
  } catch (err) {
    await stopNodeProcess(proc);
    throw err;
  }
}
