// The plan as Markdown: the generated part of deploy/SCALING.md and what the CLI prints.
// Deterministic (no clock, no absolute paths), so the document can be checked for freshness.
import { LIMITS, STRIPE_CALLS, TEMPORAL_SPLIT, type Limit } from './limits';
import { temporalCost, workerCapacity, PROVIDER_STAND_INS, type ModelInputs, type ScalePlan } from './model';

export const BEGIN = '<!-- capacity:begin -->';
export const END = '<!-- capacity:end -->';

const en = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** 3 significant-ish figures: 0.42, 4.2, 42, 4,200. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a >= 100 || Number.isInteger(n)) return en(Math.round(n), 0);
  if (a >= 10) return en(n, 1);
  if (a >= 1) return en(n, 2);
  return en(n, 3);
}
const pct = (share: number) => `${num(share * 100)} %`;
const perDay = (n: number) => (n >= 1e6 ? `${num(n / 1e6)} M` : `${num(n / 1e3)} k`);

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatPlan(inputs: ModelInputs, plans: ScalePlan[]): string {
  const { cpu, shape, chart } = inputs;
  const temporal = temporalCost(cpu, shape);
  const w = workerCapacity(inputs);
  const scales = plans.map((p) => `${perDay(p.ordersPerDay)}/day`);
  const row = (label: string, f: (p: ScalePlan) => string) => [label, ...plans.map(f)];
  const out: string[] = [];

  out.push(
    '### Inputs',
    '',
    `Bench report \`${cpu.report}\` (run ${cpu.runId}, ${cpu.startedAt}; ${cpu.scenario}; ${cpu.machine}): ` +
      `${num(cpu.sagasPerSec)} sagas/s, ${cpu.perSaga.sagas} sagas ended in the CPU window` +
      (cpu.derived ? ' (CPU per saga derived from `cpu.seconds` with the bench’s own `cpuPerSaga`)' : '') +
      '.',
    '',
    table(
      ['process', 'CPU ms per saga (measured)', 'in the plan'],
      Object.entries(cpu.perSaga.byProcessMs).map(([name, ms]) => [
        name,
        num(ms),
        PROVIDER_STAND_INS.has(name)
          ? 'no: stands in for a provider (Stripe, the SMTP relay)'
          : name === 'temporal'
            ? `${num(temporal.usedMsPerSaga)} (the larger of measured and per-task estimate)`
            : 'yes',
      ]),
    ),
    '',
  );
  if (cpu.engine) {
    const e = cpu.engine;
    out.push(
      `Temporal’s CPU per task, from the engine ceiling of the same run: ${num(e.temporalCpuSeconds)} CPU s over ` +
        `${e.seconds} s at ${num(e.workflowsPerSec)} workflows/s of ${e.tasksPerWorkflow} tasks = ` +
        `**${num(e.temporalMsPerTask)} ms per task**; × ${shape.workflowTasks + shape.activityTasks} tasks of the ` +
        `recorded saga = ${num(temporal.perTaskEstimateMsPerSaga ?? Number.NaN)} ms per saga ` +
        `(measured with the saga: ${num(temporal.measuredMsPerSaga)} ms).`,
      '',
    );
  }
  out.push(
    `Saga shape, counted from \`${shape.source}\`: ${shape.events} history events, ${shape.workflowTasks} workflow ` +
      `tasks, ${shape.activityTasks} activity tasks and ${shape.localActivities} local activities ` +
      `(${Object.keys(shape.activitiesByType).join(', ')}), ` +
      `${shape.timers} timer, ${shape.searchAttributeUpserts} search-attribute upserts → ${shape.stateUpdates} state ` +
      `updates and ${shape.visibilityWrites} visibility writes per order; ${shape.kafkaEventCount} Kafka events ` +
      `(${Object.entries(shape.kafkaEvents)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}; ${shape.kafkaEventBytes} bytes each on average), ${shape.emailedEvents} e-mailed.`,
    '',
    `Chart defaults (\`${chart.source}\`): worker ${chart.worker.requestCores} core request / ${chart.worker.limitCores} ` +
      `limit, HPA ${chart.hpa.minReplicas}–${chart.hpa.maxReplicas} pods at ${chart.hpa.targetBacklogPerPod} backlog ` +
      `per pod, ${chart.worker.maxConcurrentActivities} activity slots, ${chart.worker.maxConcurrentWorkflowTasks} ` +
      `workflow-task slots, ${chart.worker.maxCachedWorkflows} cached workflows per pod; services ` +
      `${chart.service.requestCores} core request / ${chart.service.limitCores} limit, ${chart.service.replicas} replicas; ` +
      `PDB maxUnavailable ${chart.pdbMaxUnavailable}. Refund window ${num(inputs.refundWindowSeconds / 86_400)} days. ` +
      `Peak ${inputs.peakFactor}× the average; headroom ${inputs.headroom}× on every capacity figure.`,
    '',
    '### Cores at the peak (headroom included)',
    '',
    table(
      ['component', 'ms/saga', ...scales],
      plans[0]!.components.map((c, i) => [
        `${c.name} (${c.kind})`,
        num(c.msPerSaga),
        ...plans.map((p) => num(p.components[i]!.peakCores)),
      ]),
    ),
    '',
    '### Per scale',
    '',
    table(
      ['', ...scales],
      [
        row('orders/s: average / peak', (p) => `${num(p.averagePerSec)} / ${num(p.peakPerSec)}`),
        row(
          'worker pods at the CPU request / at the limit',
          (p) => `${num(p.worker.replicasAtRequest)} / ${num(p.worker.replicasAtLimit)}`,
        ),
        row(
          'worker HPA min / max (at the request)',
          (p) => `${num(p.worker.hpaMin)} / ${num(p.worker.hpaMax)}${p.worker.overChartMax ? ' ⚠' : ''}`,
        ),
        ...plans[0]!.services.map((s, i) =>
          row(
            `${s.name} pods at request / limit`,
            (p) => `${num(p.services[i]!.replicasAtRequest)} / ${num(p.services[i]!.replicasAtLimit)}`,
          ),
        ),
        row('Temporal cores', (p) => num(p.temporal.cores)),
        ...(Object.keys(TEMPORAL_SPLIT.replicas) as (keyof typeof TEMPORAL_SPLIT.replicas)[]).map((k) =>
          row(`— ${k}`, (p) => num(p.temporal.split[k])),
        ),
        row('history state updates/s at peak', (p) => num(p.shards.stateUpdatesPerSec)),
        row(
          'history shards: needed / to create',
          (p) => `${num(p.shards.needed)} / ${num(p.shards.recommended)}`,
        ),
        row('Kafka events/s, MB/s at peak', (p) => `${num(p.kafka.eventsPerSec)}, ${num(p.kafka.mbPerSec)}`),
        row(
          'partitions: for bytes / for the consumer',
          (p) => `${num(p.kafka.byBandwidth)} / ${num(p.kafka.byConsumer)}`,
        ),
        ...plans[0]!.databases.map((d, i) =>
          row(`${d.database} DB: commits/s at peak (share of one measured server, × headroom)`, (p) => {
            const db = p.databases[i]!;
            return `${num(db.peakCommitsPerSec)} (${pct(db.shareOfServer)})`;
          }),
        ),
        row('open workflows (refund window)', (p) => num(p.openWorkflows)),
        row('of them in the workers’ caches (HPA max)', (p) => pct(p.cachedShare)),
        row(`Stripe calls/s per endpoint (${STRIPE_CALLS.endpoints.length} endpoints)`, (p) =>
          num(p.stripe.perEndpointPerSec),
        ),
      ],
    ),
    '',
    `⚠: more worker pods than the chart’s \`autoscaling.maxReplicas\` (${chart.hpa.maxReplicas}). ` +
      'Database commits take the worst case: every saga-starter batch holding one order.',
    '',
    '### What the chart’s defaults imply',
    '',
    `- One worker pod at its ${chart.worker.requestCores}-core request carries ${num(w.sagasPerPodAtRequest)} sagas/s ` +
      `(${num(w.workerMs)} worker CPU ms per saga × headroom); at its ${chart.worker.limitCores}-core limit, ` +
      `${num(w.sagasPerPodAtLimit)} sagas/s when the node has the CPU to spare.`,
    `- \`minReplicas: ${chart.hpa.minReplicas}\` carries an average of ${perDay(w.minReplicasCarryPerDay)} orders/day; ` +
      `\`maxReplicas: ${chart.hpa.maxReplicas}\` carries the 10× peak of ${perDay(w.maxReplicasCarryPerDay)} orders/day.`,
    `- \`targetBacklogPerPod: ${chart.hpa.targetBacklogPerPod}\` (workflow + activity tasks waiting per pod) is ` +
      `${num(w.targetBacklogSeconds)} s of one pod’s work at its request: the HPA adds pods once about that much work ` +
      'queues per pod. The target is per pod, so it holds at every scale; min and max are what move (table above).',
    '',
    '### Limits and sources',
    '',
    table(
      ['figure', 'value', 'kind', 'source'],
      (Object.values(LIMITS) as Limit[]).map((l) => [l.what, `${num(l.value)} ${l.unit}`, l.kind, l.source]),
    ),
    '',
    `Temporal’s split: ${TEMPORAL_SPLIT.source}, read as CPU shares.`,
  );
  return out.join('\n');
}

/** `doc` with the text between the markers replaced by `generated`. */
export function spliceGenerated(doc: string, generated: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the document has no ${BEGIN} … ${END} section`);
  return `${doc.slice(0, start + BEGIN.length)}\n${generated}\n${doc.slice(end)}`;
}

/** The text between the markers, as spliceGenerated writes it. */
export function generatedPart(doc: string): string | undefined {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return doc
    .slice(start + BEGIN.length, end)
    .replace(/^\n/, '')
    .replace(/\n$/, '');
}
