// Shared by the deployment tests: the validation tools (installed by the project's own code into
// the stack cache on first use), a process runner and a YAML reader.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadStackConfig } from '../../tools/stack/src/config';
import {
  ensureDockerCompose,
  ensureHelm,
  ensureKubernetesValidate,
} from '../../tools/stack/src/deploy-tools';

import { REPO_ROOT } from '../../tools/stack/src/repo-root';

export { REPO_ROOT };
export const CHART_DIR = path.join(REPO_ROOT, 'deploy/helm/order-platform');
/** Installs can take minutes on a fresh machine (helm builds from source). */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;
export const KUBERNETES_VERSION = '1.30.0';

const { cacheDir } = loadStackConfig();
export const tools = {
  helm: () => ensureHelm(cacheDir),
  kubernetesValidate: () => ensureKubernetesValidate(cacheDir),
  dockerCompose: () => ensureDockerCompose(),
};

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  opts: { cwd?: string; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs and fails with the tool's own output when it exits non-zero. */
export async function runOk(command: string, args: string[], opts: { cwd?: string; input?: string } = {}) {
  const result = await run(command, args, opts);
  if (result.code !== 0) {
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

export type Doc = Record<string, unknown>;

/**
 * Every document of a YAML stream as plain objects. PyYAML from kubernetes-validate's own venv
 * does the parsing, so the tests need no YAML package of their own.
 */
export async function parseYamlDocuments(text: string): Promise<Doc[]> {
  const python = path.join(path.dirname(await tools.kubernetesValidate()), 'python');
  const script =
    'import sys, json, yaml\n' +
    'json.dump([d for d in yaml.safe_load_all(sys.stdin) if d is not None], sys.stdout)';
  const json = await runOk(python, ['-c', script], { input: text });
  return JSON.parse(json) as Doc[];
}

/** Follows a dotted path through nested objects and arrays; undefined when any step is missing. */
export function at(value: unknown, dotted: string): unknown {
  let current: unknown = value;
  for (const key of dotted.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
