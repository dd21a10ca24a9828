// The one stand-in for a kubelet: there are no nodes here, so the worker Deployment's Pods stay
// Pending, and this loop makes the number of worker processes follow the Deployment's
// spec.replicas instead. Everything that decides the number (the metric, the HPA, its behavior)
// is the real Kubernetes code; this only counts and starts or stops processes.
import type { KubeApi } from '@orders/stack/kube';
import type { Logger } from '@orders/platform';
import type { WorkerPool } from './worker-pool';

export interface ReplicaFollowerOptions {
  api: KubeApi;
  namespace: string;
  deployment: string;
  pool: WorkerPool;
  logger: Logger;
  pollMs?: number;
}

interface Deployment {
  spec?: { replicas?: number };
}

export class ReplicaFollower {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The spec.replicas last seen, for the transcript. */
  replicas: number | undefined;

  constructor(private readonly options: ReplicaFollowerOptions) {}

  start(): void {
    const { pollMs = 500 } = this.options;
    const loop = async () => {
      this.running = this.sync().catch((err: unknown) => {
        this.options.logger.warn({ err }, 'could not read the worker Deployment; holding');
      });
      await this.running;
      if (this.timer !== undefined) this.timer = setTimeout(() => void loop(), pollMs);
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async sync(): Promise<void> {
    const { api, namespace, deployment, pool } = this.options;
    const found = await api.get<Deployment>(
      `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`,
    );
    const replicas = found?.spec?.replicas;
    if (replicas === undefined) return;
    this.replicas = replicas;
    if (replicas !== pool.replicas) await pool.scaleTo(replicas);
  }
}
