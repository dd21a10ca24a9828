// The saga's business status, kept where people look: the state the getState query answers,
// the `OrderStatus` search attribute Temporal's workflow list filters on, and the workflow's
// current details (the sentence the UI shows on the workflow's page).
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ORDER_STATUS_SEARCH_ATTRIBUTE, type OrderSagaState, type OrderStatus } from '../shared';
import type { SagaShape } from './saga-shape';

/** What showing a status needs: the state, and whether this run upserts the search attribute. */
export interface StatusShown {
  state: OrderSagaState;
  shape: SagaShape;
}

/** Moves the saga to `status` and shows it. */
export function setStatus(ctx: StatusShown, status: OrderStatus): void {
  ctx.state.status = status;
  showStatus(ctx);
}

/** Shows the current status (at start, and after amounts change within a status). */
export function showStatus({ state, shape }: StatusShown): void {
  // Versioned: sagas recorded before this upserted no search attribute. Replayed histories
  // without the marker keep their shape; new sagas, and old ones once past their recorded
  // history, get the attribute.
  const shown = workflowInfo().typedSearchAttributes.get(ORDER_STATUS_SEARCH_ATTRIBUTE);
  if (shape.has('order-status-search-attribute') && shown !== state.status)
    upsertSearchAttributes([{ key: ORDER_STATUS_SEARCH_ATTRIBUTE, value: state.status }]);
  // Metadata, not a command: safe to change without versioning.
  setCurrentDetails(describeStatus(state));
}

/** One line a support engineer reads in the Temporal UI. */
export function describeStatus(state: OrderSagaState): string {
  const { amounts } = state;
  const money = (minor: number) => `${(minor / 100).toFixed(2)} ${amounts.currency}`;
  const moved = `captured ${money(amounts.captured)}, refunded ${money(amounts.refunded)}`;
  switch (state.status) {
    case 'PENDING':
      return `**Pending**: placing the order (${money(amounts.total)})${stepNow(state)}.`;
    case 'CONFIRMED':
      return `**Confirmed**: payment authorized (${money(amounts.authorized)})${stepNow(state)}.`;
    case 'COMPENSATING':
      return `**Compensating**: undoing the steps done so far (${state.failure ? `${state.failure.step} failed: ${state.failure.reason}` : 'cancel requested'}).`;
    case 'COMPLETED':
      return state.refundWindowEndsAt && !state.refundWindowClosed
        ? `**Completed**: fulfilled; ${moved}. The workflow stays open until the refund window ends at ${state.refundWindowEndsAt}.`
        : `**Completed**: fulfilled; ${moved}. The refund window has ended.`;
    case 'FAILED':
      return `**Failed** at ${state.failure?.step ?? 'an unknown step'} (${state.failure?.code ?? 'unknown'}): ${state.failure?.reason ?? ''} Undone: ${state.compensations.map((c) => c.name).join(', ') || 'nothing to undo'}.`;
    case 'CANCELLED':
      return `**Cancelled**${state.cancellation ? ` by ${state.cancellation.actor}: ${state.cancellation.reason}` : ''}; ${moved}.`;
  }
}

const stepNow = (state: OrderSagaState) => (state.currentStep ? `; now: ${state.currentStep}` : '');
