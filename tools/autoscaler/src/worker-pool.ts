// The scale target: saga worker processes (orchestrator/src/worker.ts), started and stopped the
// way a Deployment's ReplicaSet would. A starting worker already counts as a replica (a pod counts
// from creation, not from readiness); a stopping one no longer does: it received SIGTERM and
// drains its in-flight tasks before it exits, as a terminating pod does.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@orders/platform';
import { APP_NODE_ARGS, entryOf, envOf, type SystemOptions } from '@orders/stack/apps';
import { freePort } from '@orders/stack/free-port';
import {
  hasExited,
  startNodeProcess,
  stopNodeProcess,
  waitReadyz,
  type NodeProcess,
} from '@orders/stack/child-process';

export interface ScaleTarget {
  /** Replicas that exist and are not terminating. */
  readonly replicas: number;
  readonly readyReplicas: number;
  scaleTo(replicas: number): Promise<void>;
}

type WorkerState = 'starting' | 'ready' | 'stopping';

interface PoolWorker {
  id: number;
  app: NodeProcess;
  metricsUrl: string;
  state: WorkerState;
}

export interface WorkerPoolOptions {
  /** The system the workers join: task queue, topics, service URLs and extra worker env. */
  system: SystemOptions;
  logDir: string;
  logger: Logger;
}

export class WorkerPool implements ScaleTarget {
  private readonly workers: PoolWorker[] = [];
  private readonly stopping = new Set<Promise<void>>();
  private nextId = 1;
  /** The last start-up failure, so a caller waiting for readiness fails fast instead of timing out. */
  private startFailure: unknown;

  constructor(private readonly options: WorkerPoolOptions) {
    mkdirSync(options.logDir, { recursive: true });
  }

  get replicas(): number {
    return this.workers.filter((w) => w.state !== 'stopping').length;
  }

  get readyReplicas(): number {
    return this.workers.filter((w) => w.state === 'ready').length;
  }

  async scaleTo(replicas: number): Promise<void> {
    const live = this.workers.filter((w) => w.state !== 'stopping');
    for (let n = live.length; n < replicas; n++) await this.startOne();
    // Newest first: the ReplicaSet removes not-ready and youngest pods before settled ones.
    const surplus = [...live].reverse().slice(0, Math.max(0, live.length - replicas));
    for (const worker of surplus) this.stopOne(worker);
  }

  /** Waits until `replicas` workers answer /readyz (bounded). */
  async waitReady(replicas: number, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.readyReplicas < replicas) {
      if (this.startFailure) throw new Error('a worker failed to start', { cause: this.startFailure });
      if (Date.now() > deadline) throw new Error(`only ${this.readyReplicas}/${replicas} workers ready`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Stops every worker gracefully and waits until all have exited. */
  async stopAll(): Promise<void> {
    for (const worker of this.workers) if (worker.state !== 'stopping') this.stopOne(worker);
    await Promise.all(this.stopping);
  }

  private async startOne(): Promise<void> {
    const id = this.nextId++;
    const [metricsPort, sdkMetricsPort] = [await freePort(), await freePort()];
    const env = {
      ...envOf('worker', this.options.system),
      METRICS_PORT: String(metricsPort),
      SDK_METRICS_PORT: String(sdkMetricsPort),
    };
    // The same command line as the system's own worker (`npm start`, the e2e tests).
    const logFile = path.join(this.options.logDir, `worker-${id}.log`);
    const app = startNodeProcess({ entry: entryOf('worker'), env, logFile, nodeArgs: APP_NODE_ARGS });
    const worker: PoolWorker = { id, app, metricsUrl: `http://127.0.0.1:${metricsPort}`, state: 'starting' };
    this.workers.push(worker);
    this.options.logger.info({ worker: id, pid: app.child.pid, metricsPort }, 'worker starting');

    void app.exited.then(() => {
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
      const level = worker.state === 'stopping' ? 'info' : 'error';
      this.options.logger[level](
        { worker: id, code: app.child.exitCode, signal: app.child.signalCode, log: app.logFile },
        worker.state === 'stopping' ? 'worker exited' : 'worker exited unexpectedly',
      );
    });
    waitReadyz(app, worker.metricsUrl).then(
      () => {
        if (worker.state === 'starting') worker.state = 'ready';
        this.options.logger.info({ worker: id }, 'worker ready');
      },
      (err: unknown) => {
        if (worker.state === 'stopping') return;
        // A worker that never gets ready is ended; the next sync starts a replacement.
        if (!hasExited(app.child)) this.stopOne(worker);
        this.startFailure = err;
        this.options.logger.error({ err, worker: id }, 'worker failed to start');
      },
    );
  }

  private stopOne(worker: PoolWorker): void {
    worker.state = 'stopping';
    this.options.logger.info({ worker: worker.id }, 'worker stopping (SIGTERM, drains in-flight tasks)');
    const done = stopNodeProcess(worker.app).finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }
}
