// Everything the model reads, from the repository's files, and the plan it prints: shared by
// the CLI and the document's freshness test.
import path from 'node:path';
import { DEFAULT_REFUND_WINDOW_SECONDS } from '@orders/orchestrator/shared';
import { defaultReportPath, readMeasuredCpu } from './bench-input';
import { readChartDefaults, CHART_VALUES } from './chart';
import { formatPlan } from './format';
import { LIMITS } from './limits';
import { plan, type ModelInputs } from './model';
import { REPO_ROOT } from '@orders/stack/repo-root';
import { readSagaShape } from './saga-shape';

export const SCALING_DOC = path.join(REPO_ROOT, 'deploy/SCALING.md');

export interface PlanOptions {
  report?: string;
  smtpSendMs?: number;
}

/** Everything the model reads, from the repository's files. */
export function loadInputs(options: PlanOptions = {}): ModelInputs {
  return {
    cpu: readMeasuredCpu(options.report ?? defaultReportPath()),
    shape: readSagaShape(),
    chart: readChartDefaults(CHART_VALUES, path.relative(REPO_ROOT, CHART_VALUES)),
    refundWindowSeconds: DEFAULT_REFUND_WINDOW_SECONDS,
    smtpSendMs: options.smtpSendMs ?? LIMITS.smtpSendMs.value,
    peakFactor: LIMITS.peakFactor.value,
    headroom: LIMITS.headroom.value,
  };
}

export function generate(options: PlanOptions = {}): string {
  const inputs = loadInputs(options);
  return formatPlan(inputs, plan(inputs));
}
