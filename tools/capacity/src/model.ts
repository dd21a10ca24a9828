// The capacity model: pure functions from what was measured (CPU per saga by process, the
// engine's CPU per task), what the saga does per order (counted from a recorded history), the
// chart's defaults and the documented limits (limits.ts) to what each scale needs.
import type { MeasuredCpu } from './bench-input';
import type { ChartDefaults } from './chart';
import { LIMITS, NOTIFICATION_WRITES, STRIPE_CALLS, TEMPORAL_SPLIT, WRITE_SITES } from './limits';
import type { SagaShape } from './saga-shape';

export const SCALES_PER_DAY = [150_000, 1_000_000, 10_000_000, 100_000_000];
const SECONDS_PER_DAY = 86_400;

export interface ModelInputs {
  cpu: MeasuredCpu;
  shape: SagaShape;
  chart: ChartDefaults;
  refundWindowSeconds: number;
  smtpSendMs: number;
  peakFactor: number;
  headroom: number;
}

export type ComponentKind = 'worker' | 'service' | 'infrastructure';

/** What each bench process is; the provider stand-ins are someone else's capacity. */
const PROCESS_KIND: Record<string, ComponentKind> = {
  worker: 'worker',
  order: 'service',
  inventory: 'service',
  payment: 'service',
  notification: 'service',
  temporal: 'infrastructure',
  kafka: 'infrastructure',
  postgres: 'infrastructure',
};
export const PROVIDER_STAND_INS = new Set(['stripe-emulator', 'stripe-mock', 'mailpit']);

export interface Component {
  name: string;
  kind: ComponentKind;
  msPerSaga: number;
}

export interface TemporalCost {
  measuredMsPerSaga: number;
  /** The engine's CPU per task × the tasks of the recorded saga; undefined without a ceiling. */
  perTaskEstimateMsPerSaga?: number;
  /** The larger of the two: the plan does not assume the cheaper shape. */
  usedMsPerSaga: number;
}

export function temporalCost(cpu: MeasuredCpu, shape: SagaShape): TemporalCost {
  const measured = cpu.perSaga.byProcessMs.temporal ?? 0;
  const perTask = cpu.engine?.temporalMsPerTask;
  const estimate =
    perTask === undefined ? undefined : round1(perTask * (shape.workflowTasks + shape.activityTasks));
  return {
    measuredMsPerSaga: measured,
    perTaskEstimateMsPerSaga: estimate,
    usedMsPerSaga: Math.max(measured, estimate ?? 0),
  };
}

/** The system's processes with their CPU per saga; unknown processes are kept, never dropped. */
export function components(cpu: MeasuredCpu, shape: SagaShape): Component[] {
  return Object.entries(cpu.perSaga.byProcessMs)
    .filter(([name]) => !PROVIDER_STAND_INS.has(name))
    .map(([name, ms]) => ({
      name,
      kind: PROCESS_KIND[name] ?? 'infrastructure',
      msPerSaga: name === 'temporal' ? temporalCost(cpu, shape).usedMsPerSaga : ms,
    }));
}

export const averagePerSec = (perDay: number) => perDay / SECONDS_PER_DAY;
export const peakPerSec = (perDay: number, peakFactor: number) => averagePerSec(perDay) * peakFactor;

/** Cores a component needs: CPU ms per saga × sagas/s ÷ 1000, times the headroom. */
export const cores = (msPerSaga: number, sagasPerSec: number, headroom: number) =>
  ((msPerSaga * sagasPerSec) / 1000) * headroom;

export function nextPowerOfTwo(n: number): number {
  if (!(n > 1)) return 1;
  return 2 ** Math.ceil(Math.log2(n));
}

/** Pods of `requestCores` each that give `needed` cores. */
export const podsFor = (needed: number, requestCores: number) =>
  Math.max(1, Math.ceil(needed / requestCores - 1e-9));

/**
 * History shards: each shard runs one persistence operation at a time (shardIOConcurrency 1), so
 * one shard carries at most one serial commit rate of state updates. Rounded up to a power of
 * two (shard counts of clusters that replicate to each other must divide one another) and never
 * below Temporal's chart default. The count is fixed when the cluster is created: size it for
 * the largest scale the cluster will ever serve.
 */
export function historyShards(stateUpdatesPerSec: number, headroom: number) {
  const perShard = LIMITS.pgSerialCommitsPerSec.value * LIMITS.temporalShardIoConcurrency.value;
  const needed = Math.ceil((stateUpdatesPerSec * headroom) / perShard);
  return {
    perShard,
    needed,
    recommended: Math.max(nextPowerOfTwo(needed), LIMITS.temporalDefaultShards.value),
  };
}

export interface DatabaseWrites {
  database: string;
  /** Commits per order when the starter's batches are full. */
  commitsPerOrder: number;
  /** Commits per order when every batch holds one order (a quiet system): the worst case. */
  commitsPerOrderWorst: number;
  source: string;
}

/** Commits per completed order in each database (services' from the repositories, Temporal's from the history). */
export function databaseWrites(shape: SagaShape): DatabaseWrites[] {
  const batch = LIMITS.sagaStartBatch.value;
  const services = ['orders', 'inventory', 'payments'].map((database) => {
    const sites = WRITE_SITES.filter((s) => s.database === database);
    const sum = (perBatchShare: number) =>
      sites.reduce((n, s) => n + s.commits * (s.perBatch ? perBatchShare : 1), 0);
    return {
      database,
      commitsPerOrder: round1(sum(1 / batch)),
      commitsPerOrderWorst: sum(1),
      source: [...new Set(sites.map((s) => s.file))].join(', '),
    };
  });
  const emailed = shape.emailedEvents;
  const notifications =
    emailed * NOTIFICATION_WRITES.emailed.commits +
    (shape.kafkaEventCount - emailed) * NOTIFICATION_WRITES.recorded.commits;
  return [
    ...services,
    {
      database: 'notifications',
      commitsPerOrder: notifications,
      commitsPerOrderWorst: notifications,
      source: `${NOTIFICATION_WRITES.file} × the saga's events`,
    },
    {
      database: 'temporal (persistence)',
      commitsPerOrder: shape.stateUpdates,
      commitsPerOrderWorst: shape.stateUpdates,
      source: `${shape.source}: state updates`,
    },
    {
      database: 'temporal (visibility)',
      commitsPerOrder: shape.visibilityWrites,
      commitsPerOrderWorst: shape.visibilityWrites,
      source: `${shape.source}: start, search-attribute upserts, close`,
    },
  ];
}

/**
 * Partitions of the order-events topic: enough for the bytes (per-partition producer rate) and
 * for the notification consumer, which handles one partition's messages one at a time, so each
 * partition can take at most 1 / (time per order) orders a second.
 */
export function kafkaPartitions(inputs: ModelInputs, ordersPerSec: number) {
  const { shape, headroom } = inputs;
  const eventsPerSec = ordersPerSec * shape.kafkaEventCount;
  const mbPerSec = (eventsPerSec * shape.kafkaEventBytes) / 1e6;
  const byBandwidth = Math.ceil((mbPerSec * headroom) / LIMITS.kafkaPartitionMBps.value);
  const notificationDb = databaseWrites(shape).find((d) => d.database === 'notifications');
  const commitMs = 1000 / LIMITS.pgSerialCommitsPerSec.value;
  const serialMsPerOrder =
    (inputs.cpu.perSaga.byProcessMs.notification ?? 0) +
    shape.emailedEvents * inputs.smtpSendMs +
    (notificationDb?.commitsPerOrder ?? 0) * commitMs;
  const byConsumer = Math.ceil(((ordersPerSec * serialMsPerOrder) / 1000) * headroom);
  return {
    eventsPerSec,
    mbPerSec,
    byBandwidth,
    serialMsPerOrder,
    byConsumer,
    partitions: Math.max(byBandwidth, byConsumer, 1),
  };
}

/** What the chart's HPA defaults carry, and what each scale needs of them. */
export function workerCapacity(inputs: ModelInputs) {
  const { chart, headroom, cpu, shape, peakFactor } = inputs;
  const workerMs = cpu.perSaga.byProcessMs.worker ?? 0;
  const sagasPerPodAtRequest = (chart.worker.requestCores * 1000) / (workerMs * headroom);
  const tasksPerSaga = shape.workflowTasks + shape.activityTasks;
  return {
    workerMs,
    sagasPerPodAtRequest,
    sagasPerPodAtLimit: (chart.worker.limitCores * 1000) / (workerMs * headroom),
    /** The HPA's target (workflow + activity backlog per pod) in seconds of one pod's work at its request. */
    targetBacklogSeconds: chart.hpa.targetBacklogPerPod / (sagasPerPodAtRequest * tasksPerSaga),
    /** Orders/day whose average the chart's minReplicas carry at their CPU request. */
    minReplicasCarryPerDay: chart.hpa.minReplicas * sagasPerPodAtRequest * SECONDS_PER_DAY,
    /** Orders/day whose peak the chart's maxReplicas carry at their CPU request. */
    maxReplicasCarryPerDay: (chart.hpa.maxReplicas * sagasPerPodAtRequest * SECONDS_PER_DAY) / peakFactor,
  };
}

export interface ScalePlan {
  ordersPerDay: number;
  averagePerSec: number;
  peakPerSec: number;
  components: (Component & { averageCores: number; peakCores: number })[];
  worker: {
    replicasAtRequest: number;
    replicasAtLimit: number;
    hpaMin: number;
    hpaMax: number;
    overChartMax: boolean;
  };
  services: { name: string; replicasAtRequest: number; replicasAtLimit: number }[];
  temporal: { cores: number; split: Record<keyof typeof TEMPORAL_SPLIT.replicas, number> };
  shards: ReturnType<typeof historyShards> & { stateUpdatesPerSec: number };
  kafka: ReturnType<typeof kafkaPartitions>;
  databases: (DatabaseWrites & { peakCommitsPerSec: number; shareOfServer: number })[];
  openWorkflows: number;
  cachedShare: number;
  stripe: { perEndpointPerSec: number; totalPerSec: number };
}

export function planScale(inputs: ModelInputs, ordersPerDay: number): ScalePlan {
  const { chart, headroom, shape } = inputs;
  const avg = averagePerSec(ordersPerDay);
  const peak = peakPerSec(ordersPerDay, inputs.peakFactor);
  const comps = components(inputs.cpu, shape).map((c) => ({
    ...c,
    averageCores: cores(c.msPerSaga, avg, headroom),
    peakCores: cores(c.msPerSaga, peak, headroom),
  }));
  const coresOf = (name: string) => comps.find((c) => c.name === name) ?? { averageCores: 0, peakCores: 0 };
  const worker = coresOf('worker');
  // Never fewer pods than a voluntary disruption (the PDB's maxUnavailable) can take away, plus one.
  const floor = chart.pdbMaxUnavailable + 1;
  const hpaMax = Math.max(podsFor(worker.peakCores, chart.worker.requestCores), floor);
  const temporalCores = coresOf('temporal').peakCores;
  const splitTotal = Object.values(TEMPORAL_SPLIT.replicas).reduce((a, b) => a + b, 0);
  const split = Object.fromEntries(
    Object.entries(TEMPORAL_SPLIT.replicas).map(([k, n]) => [k, (temporalCores * n) / splitTotal]),
  ) as ScalePlan['temporal']['split'];
  const stateUpdatesPerSec = peak * shape.stateUpdates;
  const openWorkflows = Math.round(ordersPerDay * (inputs.refundWindowSeconds / SECONDS_PER_DAY));
  return {
    ordersPerDay,
    averagePerSec: avg,
    peakPerSec: peak,
    components: comps,
    worker: {
      replicasAtRequest: podsFor(worker.peakCores, chart.worker.requestCores),
      replicasAtLimit: podsFor(worker.peakCores, chart.worker.limitCores),
      hpaMin: Math.max(podsFor(worker.averageCores, chart.worker.requestCores), floor),
      hpaMax,
      overChartMax: hpaMax > chart.hpa.maxReplicas,
    },
    services: comps
      .filter((c) => c.kind === 'service')
      .map((c) => ({
        name: c.name,
        replicasAtRequest: Math.max(podsFor(c.peakCores, chart.service.requestCores), chart.service.replicas),
        replicasAtLimit: Math.max(podsFor(c.peakCores, chart.service.limitCores), chart.service.replicas),
      })),
    temporal: { cores: temporalCores, split },
    shards: { ...historyShards(stateUpdatesPerSec, headroom), stateUpdatesPerSec },
    kafka: kafkaPartitions(inputs, peak),
    databases: databaseWrites(shape).map((d) => ({
      ...d,
      peakCommitsPerSec: peak * d.commitsPerOrderWorst,
      shareOfServer: (peak * d.commitsPerOrderWorst * headroom) / LIMITS.pgDurableCommitsPerSec.value,
    })),
    openWorkflows,
    cachedShare: Math.min(1, (hpaMax * chart.worker.maxCachedWorkflows) / Math.max(openWorkflows, 1)),
    stripe: { perEndpointPerSec: peak, totalPerSec: peak * STRIPE_CALLS.endpoints.length },
  };
}

export function plan(inputs: ModelInputs, scales: number[] = SCALES_PER_DAY): ScalePlan[] {
  return scales.map((s) => planScale(inputs, s));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
