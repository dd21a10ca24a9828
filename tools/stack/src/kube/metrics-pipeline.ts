// The path a worker backlog takes to the HPA in a cluster, as local processes: Prometheus scrapes
// the backlog exporter (targets come from files in PROMETHEUS_TARGETS_DIR, the stand-in for
// Kubernetes service discovery, which also adds the `namespace` label), and prometheus-adapter
// serves the series as the external metric through the project's own adapter rule
// (deploy/prometheus/prometheus-adapter-values.yaml), registered as an APIService.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import type { StackConfig } from '../config';
import type { Component } from '../components/component';
import { REPO_ROOT } from '../repo-root';
import { kubeApi, runKubeTool } from './api';
import { kubePart, kubePaths } from './setup';
import { ADAPTER_SERVICE } from './pki';
import { KUBE_VERSIONS } from './tools';

export const ADAPTER_VALUES = path.join(REPO_ROOT, 'deploy/prometheus/prometheus-adapter-values.yaml');
/** How often Prometheus scrapes and the adapter re-lists series: short, so a test run is short. */
const SCRAPE_SECONDS = 2;

export function prometheusTargetsDir(config: StackConfig): string {
  return path.join(config.dataDir, 'prometheus', 'targets');
}

export function prometheus(config: StackConfig): Component {
  const url = `http://127.0.0.1:${config.ports.prometheus}`;
  return kubePart(config, {
    name: 'prometheus',
    command: ({ tools }) => {
      const dir = path.join(config.dataDir, 'prometheus');
      const targets = prometheusTargetsDir(config);
      mkdirSync(targets, { recursive: true });
      const file = path.join(dir, 'prometheus.yml');
      writeFileSync(
        file,
        JSON.stringify({
          global: { scrape_interval: `${SCRAPE_SECONDS}s`, evaluation_interval: `${SCRAPE_SECONDS}s` },
          scrape_configs: [
            {
              job_name: 'backlog-exporter',
              file_sd_configs: [{ files: [path.join(targets, '*.json')], refresh_interval: '1s' }],
            },
          ],
        }),
      );
      return {
        binary: tools.prometheus,
        args: [
          `--config.file=${file}`,
          `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${config.ports.prometheus}`,
          '--storage.tsdb.retention.time=2h',
          '--log.level=warn',
        ],
      };
    },
    probe: async () => {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`/-/ready answered ${res.status}`);
    },
    addresses: () => ({ api: url, targets: prometheusTargetsDir(config) }),
    version: async () => {
      const res = await fetch(`${url}/api/v1/status/buildinfo`);
      const body = (await res.json()) as { data?: { version?: string } };
      return `Prometheus ${body.data?.version || KUBE_VERSIONS.prometheus}`;
    },
  });
}

/** The adapter's config: the external rules of the values file operators install it with. */
export function adapterConfig(valuesFile: string = ADAPTER_VALUES): string {
  const values = load(readFileSync(valuesFile, 'utf8')) as { rules?: { external?: unknown[] } } | null;
  const external = values?.rules?.external;
  if (!Array.isArray(external) || external.length === 0) {
    throw new Error(`${valuesFile}: rules.external is empty: the HPA's metric would not be served`);
  }
  return JSON.stringify({ externalRules: external });
}

/** The APIService and the Service name it is reached (and its certificate checked) by. */
function apiServiceManifest(port: number, caBundle: string): string {
  const { namespace, name } = ADAPTER_SERVICE;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { namespace, name },
        // No kube-proxy: the API server resolves the ExternalName and dials the port itself.
        spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port }] },
      },
      {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1beta1.external.metrics.k8s.io' },
        spec: {
          group: 'external.metrics.k8s.io',
          version: 'v1beta1',
          service: { namespace, name, port },
          caBundle,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      },
    ],
  });
}

export function prometheusAdapter(config: StackConfig): Component {
  const paths = kubePaths(config);
  const port = config.ports.prometheusAdapter;
  return kubePart(config, {
    name: 'prometheus-adapter',
    command: async ({ tools, pki }) => {
      const file = path.join(paths.dir, 'adapter-config.yaml');
      writeFileSync(file, adapterConfig());
      await runKubeTool(
        tools.kubectl,
        paths.kubeconfig,
        ['apply', '-f', '-'],
        apiServiceManifest(port, readFileSync(pki.ca).toString('base64')),
      );
      return {
        binary: tools.prometheusAdapter,
        args: [
          `--secure-port=${port}`,
          '--bind-address=127.0.0.1',
          `--tls-cert-file=${pki.adapterCert}`,
          `--tls-private-key-file=${pki.adapterKey}`,
          `--lister-kubeconfig=${paths.kubeconfig}`,
          `--authentication-kubeconfig=${paths.kubeconfig}`,
          `--authorization-kubeconfig=${paths.kubeconfig}`,
          `--prometheus-url=http://127.0.0.1:${config.ports.prometheus}/`,
          `--metrics-relist-interval=${SCRAPE_SECONDS}s`,
          `--config=${file}`,
          '--v=1',
        ],
      };
    },
    probe: async ({ pki }) => {
      type ApiService = { status?: { conditions?: { type: string; status: string; message?: string }[] } };
      const svc = await kubeApi(paths.server, pki).get<ApiService>(
        '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.external.metrics.k8s.io',
      );
      const available = svc?.status?.conditions?.find((c) => c.type === 'Available');
      if (available?.status !== 'True') throw new Error(`APIService not Available: ${available?.message}`);
    },
    addresses: () => ({ api: `https://127.0.0.1:${port}`, apiService: 'v1beta1.external.metrics.k8s.io' }),
    version: async () => `prometheus-adapter ${KUBE_VERSIONS.prometheusAdapter}`,
  });
}
