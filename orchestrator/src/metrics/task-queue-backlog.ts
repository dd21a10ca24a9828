// The orders task queue's approximate backlog, read from Temporal's DescribeTaskQueue. The HPA
// scales workers on it (through prometheus-adapter), so it is read on scrape, bounded by a
// short deadline, and the last good value is served when Temporal does not answer in time —
// a scrape gap would make the HPA hold, a stale value only delays it by one scrape.
import type { Connection } from '@temporalio/client';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@orders/platform';

export type TaskQueueKind = 'workflow' | 'activity';

/** temporal.api.enums.v1.TaskQueueType: 1 = WORKFLOW, 2 = ACTIVITY. */
const TASK_QUEUE_TYPE: Record<TaskQueueKind, 1 | 2> = { workflow: 1, activity: 2 };
/** temporal.api.enums.v1.TaskQueueKind: 1 = NORMAL (not a worker's sticky queue). */
const NORMAL_QUEUE = 1;

export interface TaskQueueStats {
  approximateBacklogCount: number;
  /** Tasks added and dispatched per second, as the server estimates them. */
  tasksAddRate: number;
  tasksDispatchRate: number;
}

interface LongLike {
  toNumber(): number;
}

/** Proto int64 fields arrive as `Long` objects (or plain numbers, depending on the decoder). */
function toNumber(value: number | LongLike | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export async function readTaskQueueStats(
  connection: Connection,
  {
    namespace,
    taskQueue,
    kind,
    timeoutMs = 2_000,
  }: {
    namespace: string;
    taskQueue: string;
    kind: TaskQueueKind;
    timeoutMs?: number;
  },
): Promise<TaskQueueStats> {
  const response = await connection.withDeadline(Date.now() + timeoutMs, () =>
    connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: NORMAL_QUEUE },
      taskQueueType: TASK_QUEUE_TYPE[kind],
      reportStats: true,
    }),
  );
  const stats = response.stats;
  return {
    approximateBacklogCount: toNumber(stats?.approximateBacklogCount),
    tasksAddRate: stats?.tasksAddRate ?? 0,
    tasksDispatchRate: stats?.tasksDispatchRate ?? 0,
  };
}

export interface TaskQueueBacklogOptions {
  connection: Connection;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  timeoutMs?: number;
}

/**
 * Registers `orders_task_queue_backlog`, `orders_task_queue_tasks_add_rate` and
 * `orders_task_queue_tasks_dispatch_rate` ({task_queue, type}) on the registry; each scrape asks
 * Temporal once per queue type, shared by the three gauges.
 */
export function registerTaskQueueBacklog(registry: Registry, options: TaskQueueBacklogOptions): void {
  const { connection, namespace, taskQueue, logger, timeoutMs } = options;
  const kinds: TaskQueueKind[] = ['workflow', 'activity'];
  const last = new Map<TaskQueueKind, TaskQueueStats>();
  let inFlight: Promise<void> | undefined;
  let readAt = 0;

  // prom-client calls every gauge's collect() per scrape; one read serves all three, and
  // several scrapers within a second share it too.
  const refresh = async (): Promise<void> => {
    if (Date.now() - readAt < 1_000) return;
    inFlight ??= Promise.all(
      kinds.map(async (kind) => {
        try {
          last.set(kind, await readTaskQueueStats(connection, { namespace, taskQueue, kind, timeoutMs }));
        } catch (err) {
          logger.warn({ err, taskQueue, kind }, 'task queue stats unavailable; serving the last value');
        }
      }),
    ).then(() => {
      readAt = Date.now();
      inFlight = undefined;
    });
    return inFlight;
  };

  const gauge = (name: string, help: string, pick: (s: TaskQueueStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['task_queue', 'type'] as const,
      registers: [registry],
      async collect() {
        await refresh();
        for (const kind of kinds) {
          const stats = last.get(kind);
          if (stats) this.set({ task_queue: taskQueue, type: kind }, pick(stats));
        }
      },
    });

  gauge(
    'orders_task_queue_backlog',
    'Approximate number of tasks waiting in the task queue (Temporal DescribeTaskQueue)',
    (s) => s.approximateBacklogCount,
  );
  gauge(
    'orders_task_queue_tasks_add_rate',
    'Tasks added to the task queue per second, as estimated by Temporal',
    (s) => s.tasksAddRate,
  );
  gauge(
    'orders_task_queue_tasks_dispatch_rate',
    'Tasks dispatched from the task queue to workers per second, as estimated by Temporal',
    (s) => s.tasksDispatchRate,
  );
}
