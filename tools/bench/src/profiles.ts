// Reads the V8 CPU profiles a `BENCH_CPU_PROFILE=1` run leaves (one folder per app, one file per
// thread) and says where each thread's time went: busy time, the heaviest functions by self
// time, and the same time grouped by package, so a tuning starts from the profile, not a guess.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The parts of Node's `.cpuprofile` JSON this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadSummary {
  app: string;
  file: string;
  /**
   * 'workflows' when the thread ran the workflow bundle (the SDK's workflow thread), 'main' for
   * thread 0 of the process (Node names the file `CPU.<date>.<time>.<pid>.<thread>.<n>`), else
   * 'helper' (tsx's module loader, for one).
   */
  role: 'workflows' | 'main' | 'helper';
  /** Sampled time that was not idle, in ms. */
  busyMs: number;
  top: { name: string; where: string; ms: number }[];
  byPackage: { where: string; ms: number }[];
}

const IDLE = new Set(['(idle)']);

/** Where a frame's code comes from: a package, Node itself, the project, the workflow bundle, or V8. */
export function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  // The last node_modules segment names the package the code is in (nested installs included).
  const installed = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop();
  if (installed?.[1]) return installed[1];
  if (/workflow-bundle|\/workflows\/index\.ts/.test(url)) return 'workflow bundle';
  const project = /\/(libs|services|orchestrator|tools)\/([^/]+)\//.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  return path.basename(url);
}

/**
 * Self time per frame: each sample's time delta belongs to the frame on top of the stack, capped
 * at twice the profile's median interval. A delta far beyond the interval is time the thread did
 * not run (descheduled on a busy machine, or the sampler held off in a tight loop): uncapped, a
 * bench at saturation credited kafkajs' crc32C with 19 % of the worker's main thread from 2 % of
 * its samples.
 */
export function summarise(app: string, file: string, profile: CpuProfile, topN = 12): ThreadSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const sorted = [...profile.timeDeltas].sort((a, b) => a - b);
  const cap = 2 * (sorted[Math.floor(sorted.length / 2)] ?? 0);
  const self = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  let bundle = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const us = Math.min(profile.timeDeltas[i] ?? 0, cap);
    if (!frame || IDLE.has(frame.functionName)) return;
    busyUs += us;
    const where = originOf(frame.url, frame.functionName);
    if (where === 'workflow bundle') bundle += us;
    const name = frame.functionName || '(anonymous)';
    const key = `${name}\u0000${where}\u0000${frame.url}:${frame.lineNumber}`;
    const entry = self.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  });
  const packages = new Map<string, number>();
  for (const { where, us } of self.values()) packages.set(where, (packages.get(where) ?? 0) + us);
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    app,
    file,
    role: bundle > 0 ? 'workflows' : /\.\d+\.0\.\d+\.cpuprofile$/.test(file) ? 'main' : 'helper',
    busyMs: ms(busyUs),
    top: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ name: e.name, where: e.where, ms: ms(e.us) })),
    byPackage: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([where, us]) => ({ where, ms: ms(us) })),
  };
}

/** Every profile under `<dir>/<app>/*.cpuprofile`, heaviest thread first. */
export function summariseRun(dir: string, topN?: number): ThreadSummary[] {
  const threads: ThreadSummary[] = [];
  for (const app of readdirSync(dir, { withFileTypes: true })) {
    if (!app.isDirectory()) continue;
    for (const file of readdirSync(path.join(dir, app.name))) {
      if (!file.endsWith('.cpuprofile')) continue;
      const profile = JSON.parse(readFileSync(path.join(dir, app.name, file), 'utf8')) as CpuProfile;
      threads.push(summarise(app.name, file, profile, topN));
    }
  }
  return threads.sort((a, b) => b.busyMs - a.busyMs);
}

/**
 * Markdown: one line per thread, then each thread's heaviest packages and functions. Busy time is
 * sampled wall time of the whole process life (start-up included), not CPU time: read shares.
 */
export function formatSummaries(threads: ThreadSummary[]): string {
  const share = (ms: number, of: number) => `${((100 * ms) / Math.max(of, 1)).toFixed(1)} %`;
  const out = ['| app | thread | busy |', '| --- | --- | --- |'];
  for (const t of threads) out.push(`| ${t.app} | ${t.role} | ${t.busyMs} ms |`);
  for (const t of threads) {
    out.push('', `### ${t.app}, ${t.role} thread: ${t.busyMs} ms busy (${t.file})`, '');
    out.push(`by origin: ${t.byPackage.map((p) => `${p.where} ${share(p.ms, t.busyMs)}`).join(', ')}`, '');
    for (const f of t.top) out.push(`- ${share(f.ms, t.busyMs)} ${f.name} (${f.where})`);
  }
  return out.join('\n');
}
