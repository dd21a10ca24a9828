// The measured side of the model: a bench report's CPU per saga, split by process, and the
// Temporal server's CPU per task from the engine ceiling measured in the same run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
// The bench's own type and arithmetic, so the model reads its reports exactly as it writes them.
import { cpuPerSaga, type BenchReport, type CpuPerSaga } from '@orders/bench/report';
import { LIMITS } from './limits';
import { REPO_ROOT } from '@orders/stack/repo-root';

export const REPORT_CANDIDATES = [
  'loadtest/reports/round7-after-15rps.json',
  'loadtest/reports/round6-after-15rps.json',
  'loadtest/reports/round3-after-10rps.json',
  'loadtest/reports/round2-after-10rps.json',
];

/** The newest round's saturation report that exists (round 7, else 6, 3, 2). */
export function defaultReportPath(root: string = REPO_ROOT): string {
  const found = REPORT_CANDIDATES.find((p) => existsSync(path.join(root, p)));
  if (!found) throw new Error(`none of ${REPORT_CANDIDATES.join(', ')} exists under ${root}`);
  return found;
}

export interface MeasuredCpu {
  /** Repository-relative path of the report. */
  report: string;
  runId: string;
  startedAt: string;
  scenario: string;
  machine: string;
  sagasPerSec: number;
  perSaga: CpuPerSaga;
  /** True when the report predates the cpuPerSaga field and it was derived from cpu.seconds. */
  derived: boolean;
  engine?: EngineCost;
}

export interface EngineCost {
  workflowsPerSec: number;
  seconds: number;
  temporalCpuSeconds: number;
  tasksPerWorkflow: number;
  /** Temporal server CPU per task (workflow or activity task) at the engine ceiling. */
  temporalMsPerTask: number;
}

/**
 * Temporal's CPU per task at saturation: the server's CPU over the ceiling's window divided by
 * the tasks of the workflows it ran. The window's workflows are taken as rate × window (the
 * rate is read after a short warm-up, so this slightly undercounts and overstates the cost).
 */
export function engineCost(ceilings: NonNullable<BenchReport['ceilings']>): EngineCost | undefined {
  const { engine, seconds } = ceilings;
  const temporal = engine.cpuSeconds.temporal;
  if (temporal === undefined || !(engine.workflowsPerSec > 0)) return undefined;
  const activities = LIMITS.engineWorkflowActivities.value;
  const tasksPerWorkflow = activities + (activities + 1);
  const tasks = engine.workflowsPerSec * seconds * tasksPerWorkflow;
  return {
    workflowsPerSec: engine.workflowsPerSec,
    seconds,
    temporalCpuSeconds: temporal,
    tasksPerWorkflow,
    temporalMsPerTask: Math.round(((temporal * 1000) / tasks) * 100) / 100,
  };
}

export function measuredCpu(report: BenchReport, reportPath: string): MeasuredCpu {
  const perSaga = report.cpuPerSaga ?? cpuPerSaga(report.cpu.seconds, report.load.outcomes);
  if (!(perSaga.sagas > 0)) throw new Error(`${reportPath}: no saga ended in the run; nothing to scale from`);
  const m = report.machine;
  return {
    report: reportPath,
    runId: report.runId,
    startedAt: report.startedAt,
    scenario: `${report.scenario} ${report.steps.map((s) => `${s.rate}/s × ${s.durationMs / 1000} s`).join(', ')}`,
    machine: `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}`,
    sagasPerSec: report.load.sagasCompletedPerSec,
    perSaga,
    derived: report.cpuPerSaga === undefined,
    engine: report.ceilings ? engineCost(report.ceilings) : undefined,
  };
}

export function readMeasuredCpu(reportPath: string, root: string = REPO_ROOT): MeasuredCpu {
  const file = path.resolve(root, reportPath);
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  return measuredCpu(report, path.relative(root, file));
}
