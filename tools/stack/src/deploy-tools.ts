// Tools that validate the deployment artefacts offline (no cluster, no Docker engine here):
// helm built from its Go module, kubernetes-validate from PyPI in its own venv, and Debian's
// docker-compose 1.29 for schema checks of docker-compose.yml. Each is cached by version.
import { spawnSync } from 'node:child_process';
import { ensureGoBinary, runWithProgress } from './install';
import { ensurePythonTool } from './python-tools';

export const HELM_VERSION = 'v3.19.0';
export const KUBERNETES_VALIDATE_VERSION = '1.34.1';

export async function ensureHelm(cacheDir: string): Promise<string> {
  return ensureGoBinary(cacheDir, 'helm', 'helm.sh/helm/v3/cmd/helm', HELM_VERSION);
}

/** A python venv holding kubernetes-validate, whose bundled schemas work with no network. */
export async function ensureKubernetesValidate(cacheDir: string): Promise<string> {
  return ensurePythonTool(cacheDir, {
    name: 'kubernetes-validate',
    version: KUBERNETES_VALIDATE_VERSION,
    command: 'kubernetes-validate',
  });
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
