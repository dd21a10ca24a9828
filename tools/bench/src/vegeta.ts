// vegeta (MIT), built from its Go module into the stack's tool cache, and two ways to run it:
// an open-model attack at a constant rate whose every result comes back to us (for order ids,
// per-second buckets and exact percentiles), and a saturation attack summarised by vegeta's
// own report (for the HTTP ceiling, where parsing thousands of results a second in Node would
// steal CPU from the server being measured).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ensureGoBinary } from '@orders/stack/install';

export const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12';
export const VEGETA_VERSION = 'v12.13.0';

export function ensureVegeta(cacheDir: string): Promise<string> {
  return ensureGoBinary(cacheDir, 'vegeta', VEGETA_MODULE, VEGETA_VERSION);
}

/** One request's outcome, from `vegeta encode --to json`. */
export interface HitResult {
  /** When the request was sent (epoch ms). */
  timestampMs: number;
  latencyMs: number;
  code: number;
  error: string;
  method: string;
  url: string;
  /** The response body (vegeta caps it with -max-body). */
  body: string;
}

interface EncodedResult {
  code: number;
  timestamp: string;
  latency: number;
  error?: string;
  body?: string;
  method?: string;
  url?: string;
}

export function parseEncodedResult(line: string): HitResult {
  const r = JSON.parse(line) as EncodedResult;
  return {
    timestampMs: Date.parse(r.timestamp),
    latencyMs: r.latency / 1e6,
    code: r.code,
    error: r.error ?? '',
    method: r.method ?? '',
    url: r.url ?? '',
    body: r.body ? Buffer.from(r.body, 'base64').toString('utf8') : '',
  };
}

export interface AttackOptions {
  binary: string;
  name: string;
  rate: number;
  durationMs: number;
  /** Called for each target vegeta asks for; JSON-serialised one per line. */
  nextTarget: () => unknown;
  onResult: (result: HitResult) => void;
  timeoutSeconds?: number;
}

/** vegeta's -rate takes an integer count per period: 2.5/s is written 250/100s. */
export function vegetaRate(perSecond: number): string {
  return Number.isInteger(perSecond) ? `${perSecond}/1s` : `${Math.round(perSecond * 100)}/100s`;
}

/** `vegeta attack -lazy -format=json | vegeta encode --to json`, targets written as vegeta reads them. */
export async function attack(opts: AttackOptions): Promise<void> {
  const attacker = spawn(
    opts.binary,
    [
      'attack',
      '-lazy',
      '-format=json',
      `-name=${opts.name}`,
      `-rate=${vegetaRate(opts.rate)}`,
      `-duration=${opts.durationMs}ms`,
      `-timeout=${opts.timeoutSeconds ?? 30}s`,
      '-max-body=4096',
      '-keepalive=true',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const encoder = spawn(opts.binary, ['encode', '--to', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  attacker.stdout.pipe(encoder.stdin);

  const stderr = { attack: '', encode: '' };
  attacker.stderr.on('data', (d: Buffer) => (stderr.attack += d.toString()));
  encoder.stderr.on('data', (d: Buffer) => (stderr.encode += d.toString()));

  pumpTargets(attacker, opts.nextTarget);
  const lines = createInterface({ input: encoder.stdout });
  lines.on('line', (line) => {
    if (line.trim()) opts.onResult(parseEncodedResult(line));
  });

  const [attackCode, encodeCode] = await Promise.all([exitOf(attacker), exitOf(encoder)]);
  if (attackCode !== 0) throw new Error(`vegeta attack exited with ${attackCode}: ${stderr.attack.trim()}`);
  if (encodeCode !== 0) throw new Error(`vegeta encode exited with ${encodeCode}: ${stderr.encode.trim()}`);
}

/**
 * Writes targets while the pipe accepts them and waits for 'drain' otherwise, so targets are
 * generated only about a pipe buffer ahead of vegeta. vegeta stops reading when the attack ends;
 * the resulting EPIPE is the normal end.
 */
function pumpTargets(child: ChildProcess, next: () => unknown): void {
  const stdin = child.stdin!;
  let open = true;
  stdin.on('error', () => (open = false));
  child.once('exit', () => (open = false));
  const write = () => {
    while (open) {
      if (!stdin.write(`${JSON.stringify(next())}\n`)) {
        stdin.once('drain', write);
        return;
      }
    }
  };
  write();
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The fields of `vegeta report -type=json` the bench uses; latencies in nanoseconds. */
export interface VegetaReport {
  requests: number;
  rate: number;
  throughput: number;
  success: number;
  duration: number;
  latencies: { '50th': number; '95th': number; '99th': number; mean: number; max: number };
  status_codes: Record<string, number>;
  errors: string[] | null;
}

export interface SaturationOptions {
  binary: string;
  target: { method: string; url: string; body?: string; header?: Record<string, string[]> };
  durationMs: number;
  /** Concurrent requests in flight (vegeta workers); the rate is unbounded. */
  workers: number;
}

/** `vegeta attack -rate=0 -max-workers=N | vegeta report -type=json`: as fast as N workers go. */
export async function saturate(opts: SaturationOptions): Promise<VegetaReport> {
  const target = {
    ...opts.target,
    ...(opts.target.body !== undefined && { body: Buffer.from(opts.target.body).toString('base64') }),
  };
  const attacker = spawn(
    opts.binary,
    [
      'attack',
      '-format=json',
      '-rate=0',
      `-workers=${opts.workers}`,
      `-max-workers=${opts.workers}`,
      `-duration=${opts.durationMs}ms`,
      '-keepalive=true',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const reporter = spawn(opts.binary, ['report', '-type=json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  attacker.stdout.pipe(reporter.stdin);
  attacker.stdin.end(`${JSON.stringify(target)}\n`);
  let out = '';
  let err = '';
  reporter.stdout.on('data', (d: Buffer) => (out += d.toString()));
  attacker.stderr.on('data', (d: Buffer) => (err += d.toString()));
  reporter.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [a, r] = await Promise.all([exitOf(attacker), exitOf(reporter)]);
  if (a !== 0 || r !== 0) throw new Error(`vegeta saturation run failed (${a}/${r}): ${err.trim()}`);
  return JSON.parse(out) as VegetaReport;
}
