// The chart's `autoscaling` values for a short run: its own policies (values.yaml) with the
// windows and periods shortened, so a burst of a minute shows the whole cycle. The shape and the
// select policies stay the chart's; only time and size shrink.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { z } from 'zod';
import { REPO_ROOT } from '@orders/stack/repo-root';
import type { AutoscalingValues } from './scenario';

export const CHART_VALUES = path.join(REPO_ROOT, 'deploy/helm/order-platform/values.yaml');

const policy = z.object({ type: z.enum(['Pods', 'Percent']), value: z.number(), periodSeconds: z.number() });
const rules = z.object({
  stabilizationWindowSeconds: z.number().optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  policies: z.array(policy),
});
const chartAutoscaling = z.object({
  behavior: z.object({ scaleUp: rules, scaleDown: rules }),
});

export function demoAutoscaling(opts: {
  minReplicas: number;
  maxReplicas: number;
  targetBacklogPerPod: number;
  downWindowSeconds: number;
  periodSeconds: number;
}): AutoscalingValues {
  const values = load(readFileSync(CHART_VALUES, 'utf8')) as { autoscaling?: unknown };
  const { behavior } = chartAutoscaling.parse(values.autoscaling);
  const shorten = (r: z.infer<typeof rules>, window: number) => ({
    ...r,
    stabilizationWindowSeconds: Math.min(r.stabilizationWindowSeconds ?? 0, window),
    policies: r.policies.map((p) => ({ ...p, periodSeconds: Math.min(p.periodSeconds, opts.periodSeconds) })),
  });
  return {
    minReplicas: opts.minReplicas,
    maxReplicas: opts.maxReplicas,
    targetBacklogPerPod: opts.targetBacklogPerPod,
    behavior: {
      scaleUp: shorten(behavior.scaleUp, 0),
      scaleDown: shorten(behavior.scaleDown, opts.downWindowSeconds),
    },
  };
}
