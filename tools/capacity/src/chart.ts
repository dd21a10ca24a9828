// The chart's defaults the plan is measured against: the worker's HPA bounds and target, the
// CPU requests and limits pods are scheduled with, and the worker's concurrency options.
// Read from the chart's own values.yaml, so the plan moves when the chart does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPO_ROOT } from '@orders/stack/repo-root';

export const CHART_VALUES = path.join(REPO_ROOT, 'deploy/helm/order-platform/values.yaml');

/** Kubernetes CPU quantity ("250m", "1", 2) in cores. */
export function cpuCores(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!m?.[1]) throw new Error(`not a CPU quantity: ${quantity}`);
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}

const cpu = z.union([z.string(), z.number()]).transform(cpuCores);
const resources = z.object({
  requests: z.object({ cpu }).loose(),
  limits: z.object({ cpu }).loose(),
});
const intString = z.coerce.number().int().positive();

const valuesSchema = z.object({
  global: z.object({ replicas: z.number().int().positive(), resources }).loose(),
  components: z
    .object({
      worker: z
        .object({
          replicas: z.number().int().positive().optional(),
          resources: resources.optional(),
          env: z
            .object({
              WORKER_MAX_CONCURRENT_ACTIVITIES: intString,
              WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: intString,
              WORKER_MAX_CACHED_WORKFLOWS: intString,
            })
            .loose(),
        })
        .loose(),
    })
    .loose(),
  podDisruptionBudget: z.object({ maxUnavailable: z.number().int().nonnegative() }).loose(),
  autoscaling: z
    .object({
      enabled: z.boolean(),
      minReplicas: z.number().int().positive(),
      maxReplicas: z.number().int().positive(),
      targetBacklogPerPod: z.coerce.number().positive(),
    })
    .loose(),
});

export interface ChartDefaults {
  source: string;
  service: { replicas: number; requestCores: number; limitCores: number };
  worker: {
    replicas: number;
    requestCores: number;
    limitCores: number;
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    maxCachedWorkflows: number;
  };
  hpa: { enabled: boolean; minReplicas: number; maxReplicas: number; targetBacklogPerPod: number };
  pdbMaxUnavailable: number;
}

export function chartDefaults(text: string, source: string): ChartDefaults {
  const parsed = valuesSchema.safeParse(parse(text));
  if (!parsed.success) throw new Error(`${source}: ${z.prettifyError(parsed.error)}`);
  const v = parsed.data;
  const w = v.components.worker;
  // A component without its own resources falls back to global, as the chart's templates do.
  const workerResources = w.resources ?? v.global.resources;
  return {
    source,
    service: {
      replicas: v.global.replicas,
      requestCores: v.global.resources.requests.cpu,
      limitCores: v.global.resources.limits.cpu,
    },
    worker: {
      replicas: w.replicas ?? v.global.replicas,
      requestCores: workerResources.requests.cpu,
      limitCores: workerResources.limits.cpu,
      maxConcurrentActivities: w.env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: w.env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: w.env.WORKER_MAX_CACHED_WORKFLOWS,
    },
    hpa: {
      enabled: v.autoscaling.enabled,
      minReplicas: v.autoscaling.minReplicas,
      maxReplicas: v.autoscaling.maxReplicas,
      targetBacklogPerPod: v.autoscaling.targetBacklogPerPod,
    },
    pdbMaxUnavailable: v.podDisruptionBudget.maxUnavailable,
  };
}

export function readChartDefaults(file: string = CHART_VALUES, source = file): ChartDefaults {
  return chartDefaults(readFileSync(file, 'utf8'), source);
}
