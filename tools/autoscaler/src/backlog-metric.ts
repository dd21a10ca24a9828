// Reads the worker HPA's metric from the backlog exporter's /metrics, the way prometheus-adapter
// serves it to the cluster (deploy/prometheus/prometheus-adapter-values.yaml): the
// orders_task_queue_backlog samples of one task queue, summed over queue types (workflow +
// activity). The adapter then takes the max over reporting replicas; one exporter reports here.

export const BACKLOG_METRIC = 'orders_task_queue_backlog';

const SAMPLE = new RegExp(`^${BACKLOG_METRIC}\\{([^}]*)\\}\\s+(\\S+)`);
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The queue's backlog in a Prometheus text exposition; undefined when no sample names it. */
export function backlogFromExposition(text: string, taskQueue: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = new Map([...(match[1] ?? '').matchAll(LABEL)].map((m) => [m[1], m[2]]));
    if (labels.get('task_queue') !== taskQueue) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/** One scrape; undefined (the HPA then holds) when the exporter does not answer or lacks the queue. */
export async function scrapeBacklog(
  metricsUrl: string,
  taskQueue: string,
  timeoutMs = 5_000,
): Promise<number | undefined> {
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return backlogFromExposition(await res.text(), taskQueue);
  } catch {
    return undefined;
  }
}
