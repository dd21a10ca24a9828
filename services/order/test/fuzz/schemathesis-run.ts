// One schemathesis run against a running order service, and what it did, read back from its
// NDJSON event report: every request sent, the statuses answered and each failed check.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFIG_FILE = fileURLToPath(new URL('./schemathesis.toml', import.meta.url));

export interface FuzzRunOptions {
  st: string;
  orderUrl: string;
  /** The run's role; the config sends placements as the customer and refunds as support. */
  role: 'customer' | 'support';
  tokens: { customer: string; support: string };
  maxExamples: number;
  /** A seed for an exploratory run; without one the run is derandomized (the same cases every time). */
  seed?: number;
  reportDir: string;
  /** Killed past this: a hung run fails instead of holding the suite. */
  timeoutMs: number;
}

export interface FuzzFigures {
  requests: number;
  serverErrors: number;
  /** Failed checks (schema, status code, content type, headers, acceptance ...), by check name. */
  violations: Record<string, number>;
  statuses: Record<string, number>;
  /** Responses per `METHOD path status`, ids shown as {id}, e.g. `GET /v1/orders/{id} 200`. */
  byOperation: Record<string, number>;
}

export interface FuzzRunResult {
  exitCode: number | null;
  /** The run's terminal output (failures are described there, with a curl line to reproduce). */
  output: string;
  figures: FuzzFigures;
  seconds: number;
}

export async function runSchemathesis(options: FuzzRunOptions): Promise<FuzzRunResult> {
  mkdirSync(options.reportDir, { recursive: true });
  const args = [
    '--config-file',
    CONFIG_FILE,
    'run',
    `${options.orderUrl}/openapi.json`,
    '--url',
    options.orderUrl,
    '--checks',
    'all',
    '--max-examples',
    String(options.maxExamples),
    ...(options.seed === undefined ? ['--generation-deterministic'] : ['--seed', String(options.seed)]),
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--no-color',
    '--report',
    'ndjson',
    '--report-dir',
    options.reportDir,
  ];
  const started = Date.now();
  const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>(
    (resolve, reject) => {
      const child = spawn(options.st, args, {
        // schemathesis keeps its caches (.hypothesis, .schemathesis) in the working directory.
        cwd: options.reportDir,
        env: {
          ...process.env,
          FUZZ_ROLE_TOKEN: options.role === 'customer' ? options.tokens.customer : options.tokens.support,
          FUZZ_CUSTOMER_TOKEN: options.tokens.customer,
          FUZZ_SUPPORT_TOKEN: options.tokens.support,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run schemathesis (${options.st}): ${err.message}`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: code, output: text });
      });
    },
  );
  return {
    exitCode,
    output,
    figures: readFigures(options.reportDir),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

interface ScenarioFinished {
  recorder?: {
    label?: string;
    interactions?: Record<
      string,
      { request?: { method?: string; uri?: string }; response?: { status_code?: number } | null }
    >;
    checks?: Record<string, { name: string; status: string }[]>;
  };
}

/** Sums the run's NDJSON report: one line per event; requests are the recorded interactions. */
export function readFigures(reportDir: string): FuzzFigures {
  const figures: FuzzFigures = {
    requests: 0,
    serverErrors: 0,
    violations: {},
    statuses: {},
    byOperation: {},
  };
  const add = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);
  const files = readdirSync(reportDir).filter((f) => f.endsWith('.ndjson'));
  for (const file of files) {
    for (const line of readFileSync(path.join(reportDir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{"ScenarioFinished"')) continue;
      const { recorder } = (JSON.parse(line) as { ScenarioFinished: ScenarioFinished }).ScenarioFinished;
      for (const interaction of Object.values(recorder?.interactions ?? {})) {
        const status = interaction.response?.status_code;
        figures.requests++;
        add(figures.statuses, String(status ?? 'no response'));
        if (status !== undefined && status >= 500) figures.serverErrors++;
        add(figures.byOperation, `${operationOf(interaction.request)} ${status ?? '-'}`);
      }
      for (const checks of Object.values(recorder?.checks ?? {}))
        for (const check of checks) if (check.status === 'failure') add(figures.violations, check.name);
    }
  }
  return figures;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function operationOf(request: { method?: string; uri?: string } | undefined): string {
  let pathname = '?';
  try {
    pathname = new URL(request?.uri ?? '').pathname.replace(UUID, '{id}');
  } catch {
    // a URI schemathesis recorded but URL cannot parse stays '?'
  }
  return `${request?.method ?? '?'} ${pathname}`;
}
