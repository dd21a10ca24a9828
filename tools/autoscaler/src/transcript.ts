// What the autoscaling run records each second, read from where each number lives: the backlog
// as the HPA reads it (the external metrics API), the HPA's desired count, the Deployment's
// replicas, the Pods the ReplicaSet made (Pending: no node), and the worker processes.

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  /** temporal_task_queue_backlog through external.metrics.k8s.io; null while not served. */
  backlog: number | null;
  /** The HPA's status.desiredReplicas. */
  desired: number | null;
  /** The worker Deployment's spec.replicas. */
  replicas: number | null;
  /** The worker Pods that exist (Pending). */
  pods: number;
  /** Worker processes that exist and are not stopping. */
  processes: number;
  placed: number;
  done: number;
}

export const HEADER = '     t  backlog  desired  replicas  pods  processes  placed  done';

export function row(s: Sample): string {
  const cell = (v: number | null, w: number) => String(v ?? '-').padStart(w);
  return (
    `${s.t.toFixed(1).padStart(6)}  ${cell(s.backlog, 7)}  ${cell(s.desired, 7)}  ${cell(s.replicas, 8)}  ` +
    `${cell(s.pods, 4)}  ${cell(s.processes, 9)}  ${cell(s.placed, 6)}  ${cell(s.done, 4)}`
  );
}

const changed = (a: Sample | undefined, b: Sample) =>
  !a ||
  a.backlog !== b.backlog ||
  a.desired !== b.desired ||
  a.replicas !== b.replicas ||
  a.pods !== b.pods ||
  a.processes !== b.processes;

/** Rows where something the eye follows changed (the rest repeat the row above), and the last. */
export function compact(timeline: Sample[]): Sample[] {
  return timeline.filter((s, i) => i === timeline.length - 1 || changed(timeline[i - 1], s));
}

export function printable(timeline: Sample[]): string {
  return [HEADER, ...compact(timeline).map(row)].join('\n');
}

/** A Kubernetes quantity as the metrics API writes it ("12", "1500m", "2k") as a number. */
export function parseQuantity(text: string): number {
  const match = /^(-?\d+(?:\.\d+)?)(m|k|M)?$/.exec(text.trim());
  if (!match) throw new Error(`not a quantity: ${text}`);
  const factor = { m: 1e-3, k: 1e3, M: 1e6 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}
