// The binaries of the opt-in Kubernetes profile, built once from the Go module proxy and cached
// by version (STACK-NOTES.md, "A real control plane runs here"): kube-apiserver,
// kube-controller-manager and kubectl from k8s.io/kubernetes, Prometheus, prometheus-adapter, and
// KEDA's CRDs from its module. etcd comes from Debian. About 18 min of builds on 2 cores cold.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOnce, ensureGoBinary, goModuleDir, runWithProgress, writableModuleCopy } from '../install';

export const KUBE_VERSIONS = {
  kubernetes: 'v1.31.4',
  prometheus: 'v0.316.0',
  prometheusAdapter: 'v0.12.0',
  keda: 'v2.21.0',
} as const;

export interface KubeTools {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubectl: string;
  prometheus: string;
  prometheusAdapter: string;
  /** KEDA's CRD manifests (the chart's ScaledObject needs them installed). */
  kedaCrds: string[];
}

/** Builds whatever is missing, one build at a time (each takes both cores). */
export async function ensureKubeTools(cacheDir: string): Promise<KubeTools> {
  const etcd = await ensureEtcd();
  const kube = await ensureKubernetes(cacheDir, KUBE_VERSIONS.kubernetes);
  const prometheus = await ensureGoBinary(
    cacheDir,
    'prometheus',
    'github.com/prometheus/prometheus/cmd/prometheus',
    KUBE_VERSIONS.prometheus,
  );
  const prometheusAdapter = await ensurePrometheusAdapter(cacheDir, KUBE_VERSIONS.prometheusAdapter);
  const kedaCrds = await ensureKedaCrds(cacheDir, KUBE_VERSIONS.keda);
  return { etcd, ...kube, prometheus, prometheusAdapter, kedaCrds };
}

async function ensureEtcd(): Promise<string> {
  const onPath = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  if (onPath.status === 0) return onPath.stdout.trim();
  if (process.getuid?.() !== 0) {
    throw new Error(
      'etcd is not installed and this process is not root: `sudo apt-get install -y etcd-server`',
    );
  }
  await runWithProgress('installing etcd (apt-get etcd-server, first run only)', 'sh', [
    '-c',
    'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server',
  ]);
  return 'etcd';
}

/**
 * k8s.io/kubernetes is not `go install`able: its go.mod replaces the k8s.io/* staging modules
 * with ./staging paths the published module lacks. A writable copy with those replaces removed
 * and the staging modules pinned to their published v0.<minor>.<patch> builds as is. The version
 * ldflags make the server report its real version (else v0.0.0-master, which kubectl cannot
 * parse and the chart's kubeVersion refuses).
 */
async function ensureKubernetes(
  cacheDir: string,
  version: string,
): Promise<Pick<KubeTools, 'kubeApiserver' | 'kubeControllerManager' | 'kubectl'>> {
  const dir = path.join(cacheDir, 'go', `kubernetes-${version}`);
  const binaries = {
    kubeApiserver: path.join(dir, 'kube-apiserver'),
    kubeControllerManager: path.join(dir, 'kube-controller-manager'),
    kubectl: path.join(dir, 'kubectl'),
  };
  // The directory appears only once the build has finished: one binary stands for all three.
  await buildOnce(dir, 'kubectl', async (scratch) => {
    const src = await writableModuleCopy('k8s.io/kubernetes', version, scratch);
    const goMod = path.join(src, 'go.mod');
    writeFileSync(goMod, publishedStagingModules(readFileSync(goMod, 'utf8'), version));
    const [major, minor] = version.replace(/^v/, '').split('.');
    const pkg = 'k8s.io/component-base/version';
    await runWithProgress(
      `building kube-apiserver, kube-controller-manager, kubectl ${version} (first run only, about 6 min)`,
      'go',
      [
        'build',
        '-trimpath',
        '-ldflags',
        `-s -w -X ${pkg}.gitVersion=${version} -X ${pkg}.gitMajor=${major} -X ${pkg}.gitMinor=${minor}`,
        '-o',
        `${scratch}/`,
        './cmd/kube-apiserver',
        './cmd/kube-controller-manager',
        './cmd/kubectl',
      ],
      { cwd: src, env: { GOWORK: 'off', GOFLAGS: '-mod=mod -buildvcs=false' } },
    );
    rmSync(src, { recursive: true, force: true });
  });
  return binaries;
}

/** go.mod of k8s.io/kubernetes with its staging modules taken from the proxy instead of ./staging. */
export function publishedStagingModules(goMod: string, version: string): string {
  const published = version.replace(/^v1\./, 'v0.');
  return goMod
    .split('\n')
    .filter((line) => !/=>\s*\.\/staging\//.test(line))
    .map((line) => line.replace(/^(\s*k8s\.io\/[\w.-]+) v0\.0\.0$/, `$1 ${published}`))
    .join('\n');
}

/**
 * `go install …@v0.12.0` fails here: it asks the proxy for the module's version list (for
 * deprecation notices), which the proxy refuses for this module. The module itself downloads,
 * and builds in place (read-only is enough for `go build`).
 */
async function ensurePrometheusAdapter(cacheDir: string, version: string): Promise<string> {
  const dir = path.join(cacheDir, 'go', `prometheus-adapter-${version}`);
  await buildOnce(dir, 'adapter', async (scratch) => {
    const moduleDir = await goModuleDir('sigs.k8s.io/prometheus-adapter', version, scratch);
    await runWithProgress(
      `building prometheus-adapter ${version} (first run only, about 3 min)`,
      'go',
      ['build', '-trimpath', '-ldflags', '-s -w', '-o', path.join(scratch, 'adapter'), './cmd/adapter'],
      { cwd: moduleDir, env: { GOWORK: 'off', GOFLAGS: '-mod=readonly -buildvcs=false' } },
    );
  });
  return path.join(dir, 'adapter');
}

async function ensureKedaCrds(cacheDir: string, version: string): Promise<string[]> {
  const dir = path.join(cacheDir, 'keda', version);
  await buildOnce(dir, 'crd', async (scratch) => {
    const moduleDir = await goModuleDir('github.com/kedacore/keda/v2', version, scratch);
    cpSync(path.join(moduleDir, 'config', 'crd', 'bases'), path.join(scratch, 'crd'), { recursive: true });
  });
  const crdDir = path.join(dir, 'crd');
  return readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(crdDir, f));
}
