// CPU seconds of each process of the system, read from /proc/<pid>/stat. A part is a process
// tree (PostgreSQL forks a backend per connection, the Temporal CLI and runuser wrap the real
// server): its time is the sum over the live tree of own plus reaped-children time, so CPU
// stays counted when a backend exits and its time moves into its parent's cutime.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime: this process's own CPU, in clock ticks. */
  selfTicks: number;
  /** cutime + cstime: children it has waited for, in clock ticks. */
  childTicks: number;
}

/** Parses one /proc/<pid>/stat line; comm may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); utime is field 14, so rest[11].
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    ppid: field(4),
    selfTicks: field(14) + field(15),
    childTicks: field(16) + field(17),
  };
}

let ticksPerSecond: number | undefined;
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // exited between listing and reading
  }
}

export function allStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The root and every live descendant. */
export function treeOf(root: number, stats: ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const rootStat = stats.find((s) => s.pid === root);
  if (!rootStat) return [];
  const tree: ProcStat[] = [];
  const queue = [rootStat];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

export function treeCpuSeconds(root: number, stats: ProcStat[] = allStats()): number | undefined {
  const tree = treeOf(root, stats);
  if (tree.length === 0) return undefined;
  return tree.reduce((sum, s) => sum + s.selfTicks + s.childTicks, 0) / clockTicks();
}

/**
 * CPU of this process's children that have exited and been waited for. Around a vegeta run it
 * is vegeta's exact CPU, which periodic sampling would miss the last second of.
 */
export function reapedChildrenCpuSeconds(): number {
  return parseProcStat(readFileSync('/proc/self/stat', 'utf8')).childTicks / clockTicks();
}

/**
 * CPU of named process trees between `start()` and `stop()`. Trees that appear later (a vegeta
 * step) are added with `track`, and their last reading stands when they exit before `stop()`.
 */
export class CpuSampler {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly pids = new Map<string, number[]>();
  private startedAt = 0;
  private stoppedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Adds a process tree under `name`; several pids under one name are summed. */
  track(name: string, pid: number): void {
    this.pids.set(name, [...(this.pids.get(name) ?? []), pid]);
    if (this.startedAt > 0) this.read(name, pid, allStats(), true);
  }

  start(intervalMs = 1_000): void {
    this.startedAt = Date.now();
    const stats = allStats();
    for (const [name, pids] of this.pids) for (const pid of pids) this.read(name, pid, stats, true);
    // Periodic reads keep the last value of short-lived trees (vegeta steps) that exit mid-window.
    this.timer = setInterval(() => this.sampleAll(), intervalMs);
    this.timer.unref();
  }

  stop(): { windowSeconds: number; cpuSeconds: Record<string, number> } {
    if (this.timer) clearInterval(this.timer);
    this.sampleAll();
    this.stoppedAt = Date.now();
    const cpuSeconds: Record<string, number> = {};
    for (const name of this.pids.keys()) {
      let total = 0;
      for (const key of this.keysOf(name)) total += (this.last.get(key) ?? 0) - (this.first.get(key) ?? 0);
      cpuSeconds[name] = Math.round(total * 100) / 100;
    }
    return { windowSeconds: (this.stoppedAt - this.startedAt) / 1000, cpuSeconds };
  }

  private sampleAll(): void {
    const stats = allStats();
    for (const [name, pids] of this.pids) for (const pid of pids) this.read(name, pid, stats, false);
  }

  private keysOf(name: string): string[] {
    return (this.pids.get(name) ?? []).map((pid) => `${name}:${pid}`);
  }

  private read(name: string, pid: number, stats: ProcStat[], initial: boolean): void {
    const key = `${name}:${pid}`;
    const seconds = treeCpuSeconds(pid, stats);
    if (seconds === undefined) return;
    if (initial && !this.first.has(key)) this.first.set(key, seconds);
    this.last.set(key, seconds);
  }
}
