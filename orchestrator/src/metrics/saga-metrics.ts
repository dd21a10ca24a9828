// Saga metrics, measured around activities: workflow code is replayed against recorded
// histories and must not change, so step latency, compensations and outcomes are observed from
// the activity side, where every step and undo is one activity type.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Activities } from '../activities';
import { COMPENSATION_NAMES, type SagaOutcomeStatus, type SagaStep } from '../shared';

/** The forward activity of each saga step. */
export const STEP_OF_ACTIVITY: ReadonlyMap<string, SagaStep> = new Map<keyof Activities, SagaStep>([
  ['validateOrder', 'validate'],
  ['reserveStock', 'reserve'],
  ['authorizePayment', 'authorize'],
  ['confirmOrder', 'create'],
  ['capturePayment', 'capture'],
  ['commitReservation', 'commit'],
]);

export const COMPENSATIONS: ReadonlySet<string> = new Set(COMPENSATION_NAMES);

export type Outcome = 'ok' | 'error';

/**
 * A compensation retried on another worker never clears this worker's entry, so an entry not
 * seen failing again for this long is dropped: compensations retry at least every minute
 * (maximumInterval) plus their 30 s timeout.
 */
const STUCK_FORGET_AFTER_MS = 5 * 60_000;
/** Workflows whose outcome was already counted, so a re-delivered success is not counted twice. */
const SEEN_OUTCOMES_MAX = 10_000;

export interface SagaMetrics {
  observeStep(step: SagaStep, outcome: Outcome, seconds: number): void;
  compensation(name: string, outcome: Outcome): void;
  /** A compensation failed at an attempt past the stuck threshold. */
  stuck(key: string): void;
  /** That compensation finished: it is no longer stuck. */
  unstuck(key: string): void;
  /**
   * The recordOutcome activity succeeded. It also runs, with COMPLETED and a refunded total,
   * after every support refund: those are counted as refunds, not as completions.
   */
  outcomeRecorded(workflowId: string, outcome: { status: SagaOutcomeStatus; refunded: number }): void;
  eventPublished(type: string): void;
  /** A participant answered a 4xx that is not a business answer (retried; alerted on). */
  unexpectedStatus(service: string, status: number): void;
}

export function createSagaMetrics(registry: Registry, now: () => number = Date.now): SagaMetrics {
  const stepDuration = new Histogram({
    name: 'orders_saga_step_duration_seconds',
    help: 'Duration of each saga forward step activity attempt, by step and outcome',
    labelNames: ['step', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const compensations = new Counter({
    name: 'orders_compensations_total',
    help: 'Compensation activity attempts, by compensation and outcome',
    labelNames: ['compensation', 'outcome'] as const,
    registers: [registry],
  });
  const stuckSince = new Map<string, number>();
  new Gauge({
    name: 'orders_compensations_stuck',
    help: 'Compensations on this worker still failing after many attempts (by workflow and activity)',
    registers: [registry],
    collect() {
      const cutoff = now() - STUCK_FORGET_AFTER_MS;
      for (const [key, seen] of stuckSince) if (seen < cutoff) stuckSince.delete(key);
      this.set(stuckSince.size);
    },
  });
  const completed = new Counter({
    name: 'orders_saga_completed_total',
    help: 'Sagas finished, by outcome (counted when the order service recorded it)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const refunds = new Counter({
    name: 'orders_refunds_total',
    help: 'Support refunds recorded on completed orders',
    registers: [registry],
  });
  const events = new Counter({
    name: 'orders_events_published_total',
    help: 'Order domain events published to Kafka, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const unexpected = new Counter({
    name: 'orders_service_call_unexpected_status_total',
    help: 'Participant answers that are 4xx without a business code (auth or routing trouble), retried',
    labelNames: ['service', 'status'] as const,
    registers: [registry],
  });
  const seenOutcomes = new Set<string>();

  return {
    observeStep: (step, outcome, seconds) => stepDuration.observe({ step, outcome }, seconds),
    compensation: (name, outcome) => compensations.inc({ compensation: name, outcome }),
    stuck: (key) => void stuckSince.set(key, now()),
    unstuck: (key) => void stuckSince.delete(key),
    outcomeRecorded(workflowId, { status, refunded }) {
      // The first completion always records nothing refunded; later COMPLETED records carry a refund.
      if (status === 'COMPLETED' && refunded > 0) {
        refunds.inc();
        return;
      }
      const key = `${workflowId}:${status}`;
      if (seenOutcomes.has(key)) return;
      // A Set iterates in insertion order: dropping the first entry evicts the oldest.
      if (seenOutcomes.size >= SEEN_OUTCOMES_MAX) {
        const oldest = seenOutcomes.values().next();
        if (!oldest.done) seenOutcomes.delete(oldest.value);
      }
      seenOutcomes.add(key);
      completed.inc({ outcome: status });
    },
    eventPublished: (type) => events.inc({ type }),
    unexpectedStatus: (service, status) => unexpected.inc({ service, status: String(status) }),
  };
}
