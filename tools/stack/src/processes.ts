// Child processes the stack owns: started detached with their output in a log file, and
// remembered by pid file. Stopping goes by that pid (and checks the pid still runs the
// binary we started) — never by process name, so nothing else on the machine is touched.
import { spawn, execFile } from 'node:child_process';
import {
  openSync,
  closeSync,
  existsSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  rmSync,
  mkdirSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

export interface Started {
  pid: number;
  logFile: string;
}

export function pidFile(runDir: string, name: string): string {
  return path.join(runDir, `${name}.pid`);
}

export function startDetached(opts: {
  name: string;
  runDir: string;
  logDir: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Started under `nice -n N` (the pid is still the command's: nice execs it). */
  niceness?: number;
}): Started {
  mkdirSync(opts.runDir, { recursive: true });
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  try {
    const [command, args] = niced(opts.command, opts.args, opts.niceness);
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      detached: true, // own process group: `down` signals the whole group
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${opts.name}: ${opts.command}`);
    child.unref();
    writeFileSync(pidFile(opts.runDir, opts.name), `${child.pid}\n${opts.command}\n`);
    return { pid: child.pid, logFile };
  } finally {
    closeSync(fd);
  }
}

/** The command line that runs `command` at `niceness` (unchanged for 0 or none). */
export function niced(command: string, args: string[], niceness = 0): [string, string[]] {
  return niceness > 0 ? ['nice', ['-n', String(niceness), command, ...args]] : [command, args];
}

/** The pid recorded for `name`, if that process is still alive and still runs the recorded binary. */
export function runningPid(runDir: string, name: string): number | undefined {
  const file = pidFile(runDir, name);
  if (!existsSync(file)) return undefined;
  const [pidText, command] = readFileSync(file, 'utf8').split('\n');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isAlive(pid)) return undefined;
  if (command && !processRuns(pid, path.basename(command))) return undefined;
  return pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function processRuns(pid: number, binary: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(binary);
  } catch {
    return true; // no /proc (not Linux): trust the pid file
  }
}

/** SIGTERM the process group, wait, then SIGKILL; removes the pid file. */
export async function stopByPidFile(runDir: string, name: string, graceMs = 15_000): Promise<boolean> {
  const pid = runningPid(runDir, name);
  rmSync(pidFile(runDir, name), { force: true });
  if (pid === undefined) return false;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return true;
}

/**
 * SIGKILLs `pid` and every process below it (a crash of that part, not a shutdown: no signal
 * handler runs), then waits until all of them are gone. The pid comes from a pid file, so only
 * the tree this stack started is hit. Returns the pids it killed.
 */
export async function killTree(pid: number, timeoutMs = 30_000): Promise<number[]> {
  const tree = [pid, ...descendants(pid)];
  // Parent first, so it cannot restart a child it would have seen die.
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (tree.some(isRunning)) {
    if (Date.now() > deadline) throw new Error(`pids ${tree.filter(isRunning).join(', ')} survived SIGKILL`);
    await sleep(50);
  }
  return tree;
}

/** Alive and not a zombie: a SIGKILLed child of ours stays a zombie until its parent reaps it. */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Every process below `pid`, found through /proc's parent links (Linux). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while listing
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `check` until it resolves, or fails with the last error and the log tail. */
export async function waitUntil(
  what: string,
  check: () => Promise<unknown>,
  opts: { timeoutMs: number; logFile?: string; pid?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new Error(`${what} exited during start-up${logTail(opts.logFile)}`);
    }
    try {
      await check();
      return;
    } catch (err) {
      lastError = err;
      await sleep(500);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what} not ready after ${opts.timeoutMs / 1000}s: ${reason}${logTail(opts.logFile)}`);
}

export function logTail(logFile: string | undefined, lines = 25): string {
  if (!logFile || !existsSync(logFile)) return '';
  const text = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `\n--- last lines of ${logFile} ---\n${text}`;
}
