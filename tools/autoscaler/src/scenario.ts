// One autoscaling run on the real stack and its Kubernetes profile, shared by the demo and its
// test. The order, inventory and payment services, the backlog exporter and the worker pool run
// as processes on a task queue of their own; Prometheus scrapes the exporter; the chart is
// installed into the API server with its HPA on that queue; the real HPA controller scales the
// worker Deployment on the external metric prometheus-adapter serves; the replica follower makes
// the processes follow. Orders go in through the public API; the run waits until every saga has
// finished and the Deployment is back at its minimum.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createKafka, type Logger } from '@orders/platform';
import { REPO_ROOT } from '@orders/stack/apps';
import { startNodeProcess, stopNodeProcess, waitReadyz } from '@orders/stack/child-process';
import { freePort } from '@orders/stack/free-port';
import { kubeApi, type KubeApi } from '@orders/stack/kube';
import { sleep } from '@orders/stack/processes';
import { freePorts, startSystem } from '@orders/stack/system';
import { ChartRelease, type ClusterTools } from './chart-release';
import { OrderLoad, type LoadCounts } from './order-load';
import { ReplicaFollower } from './replica-follower';
import { parseQuantity, type Sample } from './transcript';
import { WorkerPool } from './worker-pool';

/** The chart's `autoscaling` values the run installs with (shorter windows, a smaller target). */
export interface AutoscalingValues {
  minReplicas: number;
  maxReplicas: number;
  targetBacklogPerPod: number;
  behavior: object;
}

export interface ScenarioOptions {
  stackEnv: Record<string, string>;
  tools: Omit<ClusterTools, 'api'>;
  logDir: string;
  logger: Logger;
  autoscaling: AutoscalingValues;
  orders: number;
  /** Placements per second; 0 for one burst. */
  ratePerSecond: number;
  /**
   * Each worker's task slots. Few activity slots make one worker a visibly bounded consumer, like
   * a pod with a CPU limit (on this 2-core machine more processes add slots, not CPU); the waiting
   * activity tasks are what the backlog counts.
   */
  workerSlots: { workflowTasks: number; activities: number };
  /** Bound on the whole run after the load, so a broken system fails instead of hanging. */
  timeoutMs: number;
  onSample?: (sample: Sample) => void;
}

export interface ScenarioResult {
  timeline: Sample[];
  counts: LoadCounts;
  taskQueue: string;
  namespace: string;
  /** Seconds from the load's start until all sagas finished, and until back at the minimum. */
  sagasFinishedAt: number;
  scaledDownAt: number;
  /** Warning events of the namespace during the run (a refused Pod would show here). */
  warnings: string[];
}

const EXPORTER_ENTRY = path.join(REPO_ROOT, 'orchestrator/src/metrics/backlog-exporter.ts');
export const BACKLOG_METRIC = 'temporal_task_queue_backlog';

export function stackKubeApi(stackEnv: Record<string, string>): KubeApi {
  const server = stackEnv.KUBE_APISERVER_URL;
  const pki = stackEnv.KUBE_PKI_DIR;
  if (!server || !pki)
    throw new Error('KUBE_APISERVER_URL / KUBE_PKI_DIR missing: start the stack with --k8s');
  return kubeApi(server, {
    ca: path.join(pki, 'ca.crt'),
    adminCert: path.join(pki, 'admin.crt'),
    adminKey: path.join(pki, 'admin.key'),
  });
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const { stackEnv, logDir, logger } = options;
  const suffix = randomUUID().slice(0, 8);
  const taskQueue = `autoscale-${suffix}`;
  const namespace = `autoscale-${suffix}`;
  const eventsTopic = `orders.events.autoscale.${suffix}`;
  const api = stackKubeApi(stackEnv);
  const release = new ChartRelease({ ...options.tools, api }, namespace, 'order-platform');
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    // The notification service, which would create the topics, is not started: create them here.
    const kafka = createKafka('autoscaler', (stackEnv.KAFKA_BROKERS ?? '').split(','), logger);
    const topics = [eventsTopic, `${eventsTopic}.dlq`];
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(async () => {
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    });
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });

    const system = await startSystem(
      {
        stackEnv,
        logDir,
        ports: await freePorts(),
        taskQueue,
        eventsTopic,
        consumerGroup: `notification-autoscale-${suffix}`,
        logLevel: 'warn',
        extraEnv: {
          // Sagas close one second after completing, so the run can wait for their results.
          order: { REFUND_WINDOW_SECONDS: '1', PLACEMENT_RATE_LIMIT_PER_MINUTE: '1000000' },
          worker: {
            WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(options.workerSlots.workflowTasks),
            WORKER_MAX_CONCURRENT_ACTIVITIES: String(options.workerSlots.activities),
          },
        },
      },
      // The notification service only mails customers: not needed to drain the saga queue.
      ['inventory', 'payment', 'order'],
    );
    cleanups.push(() => system.stop());

    const exporterPort = await freePort();
    const exporter = startNodeProcess({
      entry: EXPORTER_ENTRY,
      env: {
        ...stackEnv,
        // The local stack speaks plain text, which production mode refuses.
        NODE_ENV: 'development',
        TEMPORAL_TASK_QUEUE: taskQueue,
        METRICS_PORT: String(exporterPort),
        LOG_LEVEL: 'warn',
      },
      logFile: path.join(logDir, 'backlog-exporter.log'),
    });
    cleanups.push(() => stopNodeProcess(exporter));
    await waitReadyz(exporter, `http://127.0.0.1:${exporterPort}`);
    // Service discovery's part: the target, labelled with the namespace the HPA asks in.
    const targetsDir = stackEnv.PROMETHEUS_TARGETS_DIR;
    if (!targetsDir) throw new Error('PROMETHEUS_TARGETS_DIR missing: start the stack with --k8s');
    mkdirSync(targetsDir, { recursive: true });
    const targetFile = path.join(targetsDir, `${namespace}.json`);
    writeFileSync(
      targetFile,
      JSON.stringify([{ targets: [`127.0.0.1:${exporterPort}`], labels: { namespace } }]),
    );
    cleanups.push(async () => rmSync(targetFile, { force: true }));

    await release.createNamespace();
    cleanups.push(() => release.deleteNamespace());
    await release.install({
      global: { env: { TEMPORAL_TASK_QUEUE: taskQueue } },
      autoscaling: { enabled: true, ...options.autoscaling },
    });
    cleanups.push(() => release.uninstall().catch(() => undefined));

    const deployment = release.component('worker');
    const hpaPath = `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${deployment}`;
    const deploymentPath = `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}`;
    const metricPath =
      `/apis/external.metrics.k8s.io/v1beta1/namespaces/${namespace}/${BACKLOG_METRIC}` +
      `?labelSelector=${encodeURIComponent(`task_queue=${taskQueue}`)}`;
    const podsPath =
      `/api/v1/namespaces/${namespace}/pods?labelSelector=` +
      encodeURIComponent(`app.kubernetes.io/instance=${release.name},app.kubernetes.io/component=worker`);

    const pool = new WorkerPool({ system: system.options, logDir, logger });
    cleanups.push(() => pool.stopAll());
    const follower = new ReplicaFollower({ api, namespace, deployment, pool, logger });
    follower.start();
    cleanups.push(() => follower.stop());

    const address = stackEnv.TEMPORAL_ADDRESS;
    if (!address) throw new Error('TEMPORAL_ADDRESS missing from the stack env');
    const connection = await Connection.connect({ address });
    cleanups.push(() => connection.close());
    const load = new OrderLoad({
      orderUrl: system.urls.order,
      inventoryUrl: system.urls.inventory,
      internalApiToken: system.internalApiToken,
      temporal: new Client({ connection, namespace: stackEnv.TEMPORAL_NAMESPACE ?? 'default' }),
      logger,
      orders: options.orders,
      ratePerSecond: options.ratePerSecond,
    });

    let t0 = performance.now();
    const elapsed = () => Math.round((performance.now() - t0) / 100) / 10;
    const sample = async (): Promise<Sample> => {
      type Hpa = { status?: { desiredReplicas?: number } };
      type Deployment = { spec?: { replicas?: number } };
      type MetricList = { items?: { value: string }[] };
      const [hpa, dep, metric, pods] = await Promise.all([
        api.get<Hpa>(hpaPath),
        api.get<Deployment>(deploymentPath),
        api.get<MetricList>(metricPath).catch(() => undefined),
        api.get<{ items?: unknown[] }>(podsPath),
      ]);
      const values = metric?.items?.map((i) => parseQuantity(i.value)) ?? [];
      return {
        t: elapsed(),
        backlog: values.length > 0 ? values.reduce((a, b) => a + b, 0) : null,
        desired: hpa?.status?.desiredReplicas ?? null,
        replicas: dep?.spec?.replicas ?? null,
        pods: pods?.items?.length ?? 0,
        processes: pool.replicas,
        placed: load.counts.placed,
        done: load.counts.completed + load.counts.failed,
      };
    };

    // Before the load: the metric is served and the HPA holds the Deployment at its minimum.
    const { minReplicas } = options.autoscaling;
    const ready = Date.now() + 120_000;
    for (;;) {
      const s = await sample();
      if (s.backlog !== null && s.replicas === minReplicas && pool.readyReplicas >= minReplicas) break;
      if (Date.now() > ready) throw new Error(`the HPA never settled before the load: ${JSON.stringify(s)}`);
      await sleep(500);
    }

    const timeline: Sample[] = [];
    let sampling = true;
    t0 = performance.now();
    const sampler = (async () => {
      while (sampling) {
        const s = await sample().catch((err: unknown) => {
          logger.warn({ err }, 'sample failed');
          return undefined;
        });
        if (s) {
          timeline.push(s);
          options.onSample?.(s);
        }
        await sleep(1_000);
      }
    })();
    cleanups.push(async () => {
      sampling = false;
      await sampler;
    });

    await load.run();
    const deadline = Date.now() + options.timeoutMs;
    const bounded = async <T>(what: string, work: Promise<T>): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`gave up waiting: ${what}`)), deadline - Date.now());
      });
      return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    };
    await bounded('every saga to finish', load.sagasFinished());
    const sagasFinishedAt = elapsed();
    for (;;) {
      const last = timeline.at(-1);
      if (last?.backlog === 0 && last.replicas === minReplicas && last.processes === minReplicas) break;
      if (Date.now() > deadline)
        throw new Error('gave up waiting for the Deployment to return to its minimum');
      await sleep(500);
    }
    const scaledDownAt = elapsed();
    sampling = false;
    await sampler;
    const warnings = await release.warnings();
    return { timeline, counts: load.counts, taskQueue, namespace, sagasFinishedAt, scaledDownAt, warnings };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => logger.warn({ err }, 'clean-up step failed'));
    }
  }
}
