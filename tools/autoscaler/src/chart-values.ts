// The worker HPA's parameters, read from the Helm chart's values.yaml — the same file the chart
// renders its HorizontalPodAutoscaler from — so the local autoscaler can never drift from what
// would run in the cluster. Fields the chart leaves out take the API server's defaults.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { z } from 'zod';
import { DEFAULT_TOLERANCE, withDefaults, type HpaSpec } from './hpa';

export const CHART_VALUES = fileURLToPath(
  new URL('../../../deploy/helm/order-platform/values.yaml', import.meta.url),
);

const policy = z.object({
  type: z.enum(['Pods', 'Percent']),
  value: z.number().int().positive(),
  periodSeconds: z.number().int().positive().max(1800),
});

const rules = z
  .object({
    stabilizationWindowSeconds: z.number().int().min(0).max(3600).optional(),
    selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
    policies: z.array(policy).min(1).optional(),
  })
  .strict();

const autoscalingSchema = z.object({
  enabled: z.boolean(),
  minReplicas: z.number().int().min(1),
  maxReplicas: z.number().int().min(1),
  targetBacklogPerPod: z.coerce.number().positive(),
  behavior: z.object({ scaleUp: rules.optional(), scaleDown: rules.optional() }).strict().optional(),
});

export type ChartAutoscaling = z.infer<typeof autoscalingSchema>;

export function readChartAutoscaling(file: string = CHART_VALUES): ChartAutoscaling {
  const values = load(readFileSync(file, 'utf8')) as { autoscaling?: unknown } | null;
  const parsed = autoscalingSchema.safeParse(values?.autoscaling);
  if (!parsed.success) throw new Error(`${file}: autoscaling: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The HPA the chart renders: external metric, AverageValue target of targetBacklogPerPod. */
export function chartHpaSpec(file: string = CHART_VALUES): HpaSpec {
  const chart = readChartAutoscaling(file);
  return {
    minReplicas: chart.minReplicas,
    maxReplicas: chart.maxReplicas,
    targetAverageValue: chart.targetBacklogPerPod,
    // The chart sets no per-direction tolerance (a beta field): the cluster-wide default applies.
    tolerance: DEFAULT_TOLERANCE,
    behavior: withDefaults(chart.behavior),
  };
}
