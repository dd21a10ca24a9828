// An order saga's history from Temporal, for the support console's timeline. Cost is bounded:
// every read asks for the run's description (one small call), but the history itself is fetched
// only when it has grown since the last read (a run's history up to a given length never
// changes), and the runs before a continue-as-new are read once and kept.
import { Client, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { LRUCache } from 'lru-cache';
import { orderWorkflowId } from '@orders/orchestrator/shared';
import {
  readSagaHistory,
  toIso,
  type HistoryEvent,
  type PendingActivity,
  type SagaHistoryFacts,
} from '../domain/saga-history-reader';
import type { SagaHistorySource } from '../domain/saga-history';

/** Runs before the latest read at most (a long refund window continues as new every 2,000 events). */
const MAX_RUNS = 5;

export function temporalSagaHistory(
  connection: Connection,
  options: { namespace: string; timeoutMs?: number; cachedHistories?: number },
): SagaHistorySource {
  const client = new Client({ connection, namespace: options.namespace });
  const histories = new LRUCache<string, HistoryEvent[]>({ max: options.cachedHistories ?? 200 });
  const deadline = () => Date.now() + (options.timeoutMs ?? 5_000);

  async function eventsOf(workflowId: string, runId: string, cacheKey: string): Promise<HistoryEvent[]> {
    const cached = histories.get(cacheKey);
    if (cached) return cached;
    const history = await client.withDeadline(deadline(), () =>
      client.workflow.getHandle(workflowId, runId).fetchHistory(),
    );
    const events = history.events ?? [];
    histories.set(cacheKey, events);
    return events;
  }

  return {
    async read(orderId) {
      const workflowId = orderWorkflowId(orderId);
      let description;
      try {
        description = await client.withDeadline(deadline(), () =>
          client.workflow.getHandle(workflowId).describe(),
        );
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 'not-started';
        throw err;
      }
      const open = description.status.name === 'RUNNING';
      const pending: PendingActivity[] = open
        ? (description.raw.pendingActivities ?? []).map((p) => ({
            activityId: p.activityId ?? '',
            attempt: p.attempt ?? 1,
            state: p.state ?? 1,
            lastFailure: p.lastFailure?.message ?? null,
            lastStartedAt: toIso(p.lastStartedTime),
          }))
        : [];
      const latest = readSagaHistory(
        await eventsOf(workflowId, description.runId, `${description.runId}:${description.historyLength}`),
        pending,
      );
      const runs: SagaHistoryFacts[] = [latest];
      for (let previous = latest.continuedFrom; previous && runs.length < MAX_RUNS;) {
        const run = readSagaHistory(await eventsOf(workflowId, previous, `${previous}:closed`));
        runs.unshift(run);
        previous = run.continuedFrom;
      }
      return {
        workflowId,
        status: description.status.name,
        open,
        closedAt: description.closeTime?.toISOString() ?? null,
        runs: runs.length,
        startedAt: runs[0]?.startedAt ?? description.startTime.toISOString(),
        activities: runs.flatMap((r) => r.activities),
        events: runs.flatMap((r) => r.events),
        supportActions: runs.flatMap((r) => r.supportActions),
      };
    },
  };
}
