// What the order service and the orchestrator must agree on, defined once: task queue, workflow
// type and ids, input, state and outcome types, order limits, and the query/signal definitions.
// The order service imports only this module from the orchestrator and never workflow code;
// the workflow imports it too, so it holds no runtime dependency beyond Temporal's own (the
// order service's zod schemas are checked against these types where they are declared).
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type * as workflows from './workflows';

export const ORDERS_TASK_QUEUE = 'orders';

/**
 * The saga's workflow type, as the order service starts it: checked against the worker's
 * workflow exports, so renaming the workflow function without it does not compile.
 */
export const ORDER_SAGA_WORKFLOW_TYPE = 'orderSaga' satisfies keyof typeof workflows;
export type OrderSagaWorkflow = (typeof workflows)[typeof ORDER_SAGA_WORKFLOW_TYPE];

/** One order, one saga: the workflow id is derived from the order id so a second start is refused. */
export const orderWorkflowId = (orderId: string): string => `order-${orderId}`;

export const SAGA_STEPS = ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

/** What the inventory service's catalogue says of a product; placement prices from it, validate re-checks it. */
export interface CatalogueProduct {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  maxPerOrder: number;
}

/** Placement refuses orders past these, and the saga's validate step checks them again. */
export const ORDER_LIMITS = {
  maxLines: 50,
  /** Minor units; larger orders need manual review. */
  maxTotal: 1_000_000,
} as const;

/** How long a completed order stays open for refunds and cancellation unless configured (30 days). */
export const DEFAULT_REFUND_WINDOW_SECONDS = 30 * 24 * 3600;

export interface Customer {
  id: string;
  email: string;
  name?: string;
}

export interface OrderLine {
  sku: string;
  name?: string;
  quantity: number;
  /** Minor units, priced by the order service from the catalogue at placement. */
  unitPrice: number;
}

export interface OrderSagaInput {
  orderId: string;
  customer: Customer;
  items: OrderLine[];
  currency: string;
  total: number;
  paymentMethod: string;
  placedAt: string;
  /** How long a completed order stays open for refunds and cancellation; then the saga closes. */
  refundWindowSeconds?: number;
  /** Continue-as-new once the history has this many events (a long refund window collects many). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: the state to resume the refund window with. */
  resume?: { state: OrderSagaState; sequence: number; refundWindowEndsAt: string };
}

export interface ItemQuantity {
  sku: string;
  quantity: number;
}

export interface CancelRequest {
  reason: string;
  /** Who asked, e.g. `customer:cust-1` or `support:agent-7`. */
  actor: string;
  /**
   * Cancelling a fulfilled order (support only): the items the customer sent back. Only these
   * return to stock; the money still captured is refunded in full.
   */
  items?: ItemQuantity[];
}

export interface RefundRequest {
  /** Idempotency: the same refund id is one refund however often it is sent. */
  refundId: string;
  amount: number;
  reason: string;
  actor: string;
  /** Items sent back, whose stock returns to inventory. */
  items?: ItemQuantity[];
}

export interface CancelResult {
  orderId: string;
  status: OrderStatus;
  refunded: number;
}

export interface RefundResult {
  orderId: string;
  refundId: string;
  amount: number;
  totalRefunded: number;
  captured: number;
}

export interface RefundRecord extends RefundRequest {
  status: 'pending' | 'done' | 'failed';
  failure?: string;
}

export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'COMPENSATING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The undo actions, named as they appear in state, events and e-mails. */
export const COMPENSATION_NAMES = [
  'releaseReservation',
  'voidPayment',
  'cancelOrderRecord',
  'refundPayment',
  'returnStock',
] as const;
export type CompensationName = (typeof COMPENSATION_NAMES)[number];

export interface CompensationRecord {
  name: CompensationName;
  /** The forward step this undoes. */
  step: SagaStep;
  status: 'running' | 'done';
}

export interface SagaFailure {
  step: SagaStep;
  /** Machine-readable cause, e.g. OUT_OF_STOCK, CARD_DECLINED; `STEP_FAILED` when a step ran out of retries. */
  code: string;
  reason: string;
}

export interface OrderSagaState {
  orderId: string;
  status: OrderStatus;
  currentStep: SagaStep | null;
  stepsCompleted: SagaStep[];
  compensations: CompensationRecord[];
  failure: SagaFailure | null;
  amounts: { currency: string; total: number; authorized: number; captured: number; refunded: number };
  cancellation: CancelRequest | null;
  refunds: RefundRecord[];
  /** While a completed order still accepts refunds and cancellation. */
  refundWindowEndsAt: string | null;
  /** Set when the refund window has ended: from then on every request is refused, none dropped. */
  refundWindowClosed?: boolean;
  /**
   * How many times the saga has reported this state to the order record (which answers reads
   * from it): each report carries the next number, so a late report never replaces a newer one.
   */
  revision?: number;
}

/** How a saga ends: the statuses its result and its recorded outcome can carry. */
export const SAGA_OUTCOME_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type SagaOutcomeStatus = (typeof SAGA_OUTCOME_STATUSES)[number];

/**
 * What the saga records on the order when it ends (the order service's internal outcome route),
 * and again, as COMPLETED with the new total, after each refund in the refund window.
 */
export interface SagaOutcome {
  status: SagaOutcomeStatus;
  failure: SagaFailure | null;
  compensations: CompensationName[];
  /** Total refunded so far (refunds after completion, or the refund a cancellation made). */
  refunded: number;
  /** Why a cancellation happened, e.g. `cancelled by customer:c-1: changed my mind`. */
  reason?: string;
  /** The saga's state once this outcome is recorded: the order record answers reads from it. */
  saga?: OrderSagaState;
}

export interface OrderSagaResult extends Pick<
  SagaOutcome,
  'status' | 'failure' | 'compensations' | 'refunded'
> {
  orderId: string;
}

export const getStateQuery = defineQuery<OrderSagaState>('getState');

/**
 * The order's business status as a search attribute, so Temporal's workflow list can be
 * filtered by it (`OrderStatus="FAILED"`): a failed or cancelled order is a workflow that
 * completed normally, which the list alone shows as a green "Completed". Registered on the
 * namespace by the dev stack; the worker checks for it at start (search-attributes.ts).
 */
export const ORDER_STATUS_SEARCH_ATTRIBUTE = defineSearchAttributeKey('OrderStatus', 'KEYWORD');

/** Fire-and-forget requests (the signal path); the updates below answer synchronously. */
export const cancelSignal = defineSignal<[CancelRequest]>('cancel');
export const refundSignal = defineSignal<[RefundRequest]>('refund');
/** Validated before they are accepted, so the API can answer 409/422 at once. */
export const cancelUpdate = defineUpdate<CancelResult, [CancelRequest]>('requestCancel');
export const refundUpdate = defineUpdate<RefundResult, [RefundRequest]>('requestRefund');

/** Failure types the support requests are refused with (ApplicationFailure.type). */
export const SupportRejection = {
  orderClosed: 'ORDER_CLOSED',
  notRefundable: 'ORDER_NOT_REFUNDABLE',
  refundExceedsCaptured: 'REFUND_EXCEEDS_CAPTURED',
  refundFailed: 'REFUND_FAILED',
  /** A customer asked to cancel an order whose stock has left: that is a support action now. */
  orderFulfilled: 'ORDER_FULFILLED',
  /** The same refund Idempotency-Key with a different amount or items. */
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  /** Items declared returned beyond what the order holds (less what was returned already). */
  returnExceedsOrdered: 'RETURN_EXCEEDS_ORDERED',
} as const;
