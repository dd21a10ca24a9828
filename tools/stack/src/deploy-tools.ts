// Tools that validate the deployment artefacts offline (no cluster, no Docker engine here):
// helm built from its Go module, kubernetes-validate from PyPI in its own venv, and Debian's
// docker-compose 1.29 for schema checks of docker-compose.yml. Each is cached by version.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { ensureGoBinary, runWithProgress } from './install';

export const HELM_VERSION = 'v3.19.0';
export const KUBERNETES_VALIDATE_VERSION = '1.34.1';

export async function ensureHelm(cacheDir: string): Promise<string> {
  return ensureGoBinary(cacheDir, 'helm', 'helm.sh/helm/v3/cmd/helm', HELM_VERSION);
}

const LOCK_STALE_MS = 15 * 60_000;

/**
 * Runs `install` under a lock directory (mkdir is atomic), so test files running in parallel
 * processes install once; the others wait and then find the result.
 */
async function withInstallLock<T>(lock: string, install: () => Promise<T>): Promise<T> {
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

/** A python venv holding kubernetes-validate, whose bundled schemas work with no network. */
export async function ensureKubernetesValidate(cacheDir: string): Promise<string> {
  const venv = path.join(cacheDir, 'python', `kubernetes-validate-${KUBERNETES_VALIDATE_VERSION}`);
  const binary = path.join(venv, 'bin', 'kubernetes-validate');
  const marker = path.join(venv, '.complete');
  if (existsSync(marker)) return binary;
  return withInstallLock(`${venv}.lock`, async () => {
    if (!existsSync(marker)) await installKubernetesValidate(venv, marker);
    return binary;
  });
}

async function installKubernetesValidate(venv: string, marker: string): Promise<void> {
  // A venv cannot be moved after creation, so a failed install is removed rather than renamed.
  rmSync(venv, { recursive: true, force: true });
  try {
    await runWithProgress('creating a python venv for kubernetes-validate', 'python3', ['-m', 'venv', venv]);
    await runWithProgress(
      `installing kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} (pip, first run only)`,
      path.join(venv, 'bin', 'pip'),
      ['install', '-q', '--disable-pip-version-check', `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`],
    );
    writeFileSync(marker, new Date().toISOString());
  } catch (err) {
    rmSync(venv, { recursive: true, force: true });
    throw err;
  }
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Debian's docker-compose 1.29 checks a compose file against its schema without an engine. */
export async function ensureDockerCompose(): Promise<string> {
  if (onPath('docker-compose')) return 'docker-compose';
  if (process.getuid?.() !== 0) {
    throw new Error(
      'docker-compose is not installed and this process is not root: install it with ' +
        '`sudo apt-get install -y docker-compose` (Debian) or put a docker-compose 1.29+ on PATH',
    );
  }
  if (!onPath('apt-get')) {
    throw new Error('docker-compose is not installed and apt-get is unavailable: put docker-compose on PATH');
  }
  await runWithProgress('installing docker-compose (apt-get, first run only)', 'sh', [
    '-c',
    'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker-compose',
  ]);
  return 'docker-compose';
}
