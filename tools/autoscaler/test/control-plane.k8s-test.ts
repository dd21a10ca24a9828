// The chart on a real Kubernetes control plane (the stack's `--k8s` profile: etcd,
// kube-apiserver, kube-controller-manager, Prometheus, prometheus-adapter). Run by the test
// command after the other tests, on the same stack with the profile added:
//   - the API server accepts the chart (defaults, and the KEDA variant with KEDA's CRDs) in a
//     namespace enforcing the `restricted` Pod Security level; upgrade and uninstall work;
//   - a burst of orders raises the backlog, the real HPA controller scales the worker
//     Deployment through the chart's own metric pipeline, the worker processes follow, every
//     saga completes, and after the shortened window it scales back to the minimum.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createLogger } from '@orders/platform';
import { loadStackConfig } from '@orders/stack/config';
import { ensureHelm } from '@orders/stack/deploy-tools';
import { kubeTools, runKubeTool } from '@orders/stack/kube';
import { sleep } from '@orders/stack/processes';
import { pickStackEnv } from '@orders/stack/stack';
import { ChartRelease } from '../src/chart-release';
import { demoAutoscaling } from '../src/demo-values';
import { runScenario, stackKubeApi } from '../src/scenario';
import { printable } from '../src/transcript';

const logger = createLogger('control-plane-test', process.env.LOG_LEVEL ?? 'warn');
const stackEnv = pickStackEnv(process.env);
const config = loadStackConfig();

async function clusterTools() {
  if (!stackEnv.KUBECONFIG)
    throw new Error('KUBECONFIG is not set: `npm run stack -- up --k8s`, then source its env');
  const [tools, helm] = await Promise.all([kubeTools(config), ensureHelm(config.cacheDir)]);
  return {
    kubectl: tools.kubectl,
    helm,
    kubeconfig: stackEnv.KUBECONFIG,
    api: stackKubeApi(stackEnv),
    tools,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(500);
  }
}

type PodList = { items: { spec: { containers: { name: string }[] } }[] };
type DeploymentList = {
  items: {
    metadata: { name: string };
    spec: {
      replicas: number;
      template: {
        spec: { containers: { livenessProbe?: object; readinessProbe?: object; startupProbe?: object }[] };
      };
    };
  }[];
};

describe('the chart on a real control plane', { timeout: 900_000 }, () => {
  test('the API server accepts the chart in a restricted namespace; upgrade and uninstall work', async () => {
    const cluster = await clusterTools();
    const release = new ChartRelease(cluster, `chart-${randomUUID().slice(0, 8)}`, 'order-platform');
    await release.createNamespace();
    try {
      // The namespace really enforces `restricted`: a Pod without the restricted security
      // context (root allowed, capabilities kept, no seccomp profile) is refused...
      await assert.rejects(
        release.kubectl(
          ['apply', '-n', release.namespace, '-f', '-'],
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'unrestricted' },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          }),
        ),
        /violates PodSecurity "restricted/,
      );

      await release.install({});
      assert.deepEqual(
        await release.names('deployments'),
        ['inventory', 'notification', 'order', 'payment', 'worker'].map((c) => release.component(c)),
      );
      assert.deepEqual(await release.names('hpa'), [release.component('worker')]);
      assert.ok((await release.names('networkpolicies')).length >= 5, 'a NetworkPolicy per component');
      assert.ok((await release.names('poddisruptionbudgets')).length >= 5, 'a PDB per component');

      // ...while the chart's Pods are created: every Deployment's ReplicaSet made its Pods (they
      // stay Pending: there is no node), none refused by admission.
      const deployments = await cluster.api.get<DeploymentList>(
        `/apis/apps/v1/namespaces/${release.namespace}/deployments`,
      );
      const expected = deployments!.items.reduce((n, d) => n + d.spec.replicas, 0);
      assert.ok(expected >= 5, `replicas of all Deployments: ${expected}`);
      await until('every Pod created', async () => {
        const pods = await cluster.api.get<PodList>(`/api/v1/namespaces/${release.namespace}/pods`);
        return pods && pods.items.length === expected ? pods : undefined;
      });
      for (const d of deployments!.items) {
        const [container] = d.spec.template.spec.containers;
        assert.ok(
          container?.livenessProbe && container.readinessProbe && container.startupProbe,
          `${d.metadata.name}: probes`,
        );
      }
      const refused = (await release.warnings()).filter((w) => w.startsWith('FailedCreate'));
      assert.deepEqual(refused, [], 'no Pod refused');

      await release.upgrade({ autoscaling: { maxReplicas: 7 } });
      type Hpa = { spec: { maxReplicas: number } };
      const hpa = await cluster.api.get<Hpa>(
        `/apis/autoscaling/v2/namespaces/${release.namespace}/horizontalpodautoscalers/${release.component('worker')}`,
      );
      assert.equal(hpa?.spec.maxReplicas, 7, 'the upgrade reached the HPA');
      const history = JSON.parse(
        await release.kubectl(['get', 'secrets', '-n', release.namespace, '-l', 'owner=helm', '-o', 'json']),
      ) as { items: unknown[] };
      assert.equal(history.items.length, 2, 'two release revisions');

      await release.uninstall();
      assert.deepEqual(await release.names('deployments'), []);
      assert.deepEqual(await release.names('hpa'), []);
    } finally {
      await release.deleteNamespace();
    }
  });

  test("the KEDA variant: with KEDA's CRDs the chart renders a ScaledObject instead of the HPA", async () => {
    const cluster = await clusterTools();
    for (const crd of cluster.tools.kedaCrds) {
      await runKubeTool(cluster.kubectl, cluster.kubeconfig, [
        'apply',
        '--server-side',
        '--force-conflicts',
        '-f',
        crd,
      ]);
    }
    await until('the ScaledObject CRD established', async () => {
      type Crd = { status?: { conditions?: { type: string; status: string }[] } };
      const crd = await cluster.api.get<Crd>(
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/scaledobjects.keda.sh',
      );
      return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
        ? true
        : undefined;
    });
    const release = new ChartRelease(cluster, `keda-${randomUUID().slice(0, 8)}`, 'order-platform');
    await release.createNamespace();
    try {
      await release.install({ keda: { enabled: true } });
      assert.deepEqual(await release.names('scaledobjects.keda.sh'), [release.component('worker')]);
      assert.deepEqual(await release.names('hpa'), [], 'no HPA of the chart: KEDA would own it');
      await release.uninstall();
      assert.deepEqual(await release.names('scaledobjects.keda.sh'), []);
    } finally {
      await release.deleteNamespace();
    }
  });

  test('a burst scales the workers on the backlog through the real HPA, drains, and scales back', async (t) => {
    const cluster = await clusterTools();
    const autoscaling = demoAutoscaling({
      minReplicas: 1,
      maxReplicas: 3,
      targetBacklogPerPod: 3,
      downWindowSeconds: 15,
      periodSeconds: 10,
    });
    const orders = 60;
    const result = await runScenario({
      stackEnv,
      tools: cluster,
      logDir: path.join(config.logDir, `control-plane-${Date.now()}`),
      logger,
      autoscaling,
      orders,
      ratePerSecond: 0,
      // Two activity slots per worker: one worker drains far slower than the burst arrives.
      workerSlots: { workflowTasks: 40, activities: 2 },
      timeoutMs: 480_000,
    });
    const { timeline, counts } = result;
    t.diagnostic(`transcript:\n${printable(timeline)}`);

    assert.deepEqual(
      counts,
      { placed: orders, rejected: 0, completed: orders, failed: 0 },
      'every saga completed',
    );
    const peak = Math.max(...timeline.map((s) => s.replicas ?? 0));
    assert.ok(peak > 1, 'the HPA scaled the Deployment up');
    assert.ok(peak <= autoscaling.maxReplicas, 'never above max');
    const firstUp = timeline.find((s) => (s.replicas ?? 0) > 1);
    assert.ok(
      firstUp &&
        (timeline.find((s) => s.t <= firstUp.t && (s.backlog ?? 0) > autoscaling.targetBacklogPerPod) ??
          false),
      'it scaled up after the backlog passed the target per worker',
    );
    assert.ok(Math.max(...timeline.map((s) => s.processes)) > 1, 'the processes followed up');
    assert.ok(Math.max(...timeline.map((s) => s.pods)) > 1, 'the ReplicaSet made the Pods');
    const last = timeline.at(-1);
    assert.equal(last?.backlog, 0, 'the backlog drained');
    assert.equal(last?.replicas, autoscaling.minReplicas, 'back at min');
    assert.equal(last?.processes, autoscaling.minReplicas, 'the processes followed down');
    assert.ok(
      timeline.every((s) => s.replicas === null || s.replicas >= autoscaling.minReplicas),
      'never below min',
    );
    assert.deepEqual(
      result.warnings.filter((w) => w.startsWith('FailedCreate')),
      [],
      'no Pod refused',
    );
  });
});
