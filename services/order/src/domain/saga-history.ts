// An order saga's history as the support console's timeline reads it; the Temporal adapter
// (adapters/temporal-saga-history.ts) fetches it.
import type { SagaHistoryFacts } from './saga-history-reader';

export interface SagaHistory extends Omit<SagaHistoryFacts, 'continuedFrom'> {
  workflowId: string;
  status: string;
  open: boolean;
  closedAt: string | null;
  runs: number;
}

export interface SagaHistorySource {
  /** The saga's history; `not-started` when Temporal has no workflow for the order yet. */
  read(orderId: string): Promise<SagaHistory | 'not-started'>;
}
