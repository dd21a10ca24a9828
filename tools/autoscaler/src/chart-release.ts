// The project's Helm chart, installed into the stack's real API server the way an operator would:
// a namespace that enforces the `restricted` Pod Security level, `helm install` / `upgrade` /
// `uninstall`, and the reads a test makes of what the server accepted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@orders/stack/repo-root';
import { runKubeTool, type KubeApi } from '@orders/stack/kube';

export const CHART_DIR = path.join(REPO_ROOT, 'deploy/helm/order-platform');

/** Throwaway values for the chart's required secrets: no pod ever runs with them here. */
export const TEST_SECRETS = {
  JWT_SECRET: 'jwt-secret-for-the-control-plane-test-0123456789',
  INTERNAL_API_TOKEN: 'internal-token-for-the-control-plane-test',
  STRIPE_SECRET_KEY: 'sk_test_control_plane',
};

export interface ClusterTools {
  kubectl: string;
  helm: string;
  kubeconfig: string;
  api: KubeApi;
}

export class ChartRelease {
  readonly fullname: string;

  constructor(
    private readonly tools: ClusterTools,
    readonly namespace: string,
    readonly name: string,
  ) {
    // The chart's op.fullname: the release name alone when it already contains the chart's.
    this.fullname = name.includes('order-platform') ? name : `${name}-order-platform`;
  }

  component(component: string): string {
    return `${this.fullname}-${component}`;
  }

  kubectl(args: string[], input?: string): Promise<string> {
    return runKubeTool(this.tools.kubectl, this.tools.kubeconfig, args, input);
  }

  /** A namespace whose Pods must meet the `restricted` Pod Security Standard, or are refused. */
  async createNamespace(): Promise<void> {
    await this.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: this.namespace,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      }),
    );
  }

  install(values: object): Promise<string> {
    return this.release('install', values);
  }

  upgrade(values: object): Promise<string> {
    return this.release('upgrade', values);
  }

  uninstall(): Promise<string> {
    return runKubeTool(this.tools.helm, this.tools.kubeconfig, [
      'uninstall',
      this.name,
      '-n',
      this.namespace,
      '--wait',
    ]);
  }

  async deleteNamespace(): Promise<void> {
    await this.kubectl(['delete', 'namespace', this.namespace, '--ignore-not-found', '--wait=false']);
  }

  /** Objects of `kind` in the release's namespace, by name. */
  async names(kind: string): Promise<string[]> {
    const out = await this.kubectl([
      'get',
      kind,
      '-n',
      this.namespace,
      '-l',
      `app.kubernetes.io/instance=${this.name}`,
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    return out.split(/\s+/).filter(Boolean).sort();
  }

  /** Warning events of the namespace (a refused Pod shows here as FailedCreate). */
  async warnings(): Promise<string[]> {
    const out = await this.kubectl([
      'get',
      'events',
      '-n',
      this.namespace,
      '--field-selector',
      'type=Warning',
      '-o',
      'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
    ]);
    return out.split('\n').filter(Boolean);
  }

  private async release(verb: 'install' | 'upgrade', values: object): Promise<string> {
    const dir = mkdtempSync(path.join(tmpdir(), 'chart-values-'));
    try {
      const file = path.join(dir, 'values.json');
      writeFileSync(file, JSON.stringify({ secrets: TEST_SECRETS, ...values }));
      const args = [verb, this.name, CHART_DIR, '-n', this.namespace, '-f', file];
      return await runKubeTool(this.tools.helm, this.tools.kubeconfig, args);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
