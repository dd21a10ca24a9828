// Python command-line tools from PyPI (kubernetes-validate, schemathesis), each pip-installed
// at a pinned version into its own venv under the tool cache, once, under a lock so parallel
// test processes install it a single time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { runWithProgress } from './install';

export interface PythonTool {
  /** The PyPI distribution, e.g. `schemathesis`. */
  name: string;
  /** Pinned exactly: a tool that changes under the suite makes its results incomparable. */
  version: string;
  /** The console script the distribution installs into the venv's bin/. */
  command: string;
}

const LOCK_STALE_MS = 15 * 60_000;

/** Returns the path of the tool's command, installing the venv on first use. */
export async function ensurePythonTool(cacheDir: string, tool: PythonTool): Promise<string> {
  const venv = path.join(cacheDir, 'python', `${tool.name}-${tool.version}`);
  const binary = path.join(venv, 'bin', tool.command);
  const marker = path.join(venv, '.complete');
  if (existsSync(marker)) return binary;
  return withInstallLock(`${venv}.lock`, async () => {
    if (!existsSync(marker)) await installVenv(venv, marker, tool);
    return binary;
  });
}

/**
 * Runs `install` under a lock directory (mkdir is atomic), so test files running in parallel
 * processes install once; the others wait and then find the result.
 */
export async function withInstallLock<T>(lock: string, install: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      // A lock left by a killed installer is taken over.
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await sleep(1_000);
    }
  }
  try {
    return await install();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function installVenv(venv: string, marker: string, tool: PythonTool): Promise<void> {
  await ensurePythonVenvModule();
  // A venv cannot be moved after creation, so a failed install is removed rather than renamed.
  rmSync(venv, { recursive: true, force: true });
  try {
    await runWithProgress(`creating a python venv for ${tool.name}`, 'python3', ['-m', 'venv', venv]);
    await runWithProgress(
      `installing ${tool.name} ${tool.version} (pip, first run only)`,
      path.join(venv, 'bin', 'pip'),
      ['install', '-q', '--disable-pip-version-check', `${tool.name}==${tool.version}`],
    );
    writeFileSync(marker, new Date().toISOString());
  } catch (err) {
    rmSync(venv, { recursive: true, force: true });
    throw err;
  }
}

/** Debian's python3 ships without `venv`/`ensurepip` until `python3-venv` is installed. */
async function ensurePythonVenvModule(): Promise<void> {
  const probe = () => spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
  const found = probe();
  if (found.error) throw new Error(`python3 is required to install PyPI tools: ${found.error.message}`);
  if (found.status === 0) return;
  if (
    process.getuid?.() !== 0 ||
    spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0
  )
    throw new Error(
      "python3 has no 'venv'/'ensurepip' module: install it (Debian: `apt-get install -y python3-venv`)",
    );
  await runWithProgress('installing python3-venv (apt-get, first run only)', 'sh', [
    '-c',
    'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv',
  ]);
  if (probe().status !== 0)
    throw new Error("python3-venv is installed but python3 still has no 'venv'/'ensurepip' module");
}
