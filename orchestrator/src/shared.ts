// What the outside world (the order API, tests, tools) needs to talk to the order saga: task
// queue, workflow ids, input and state types, and the query/signal definitions. The order
// service imports only this module from the orchestrator; it never imports workflow code.
import { defineQuery } from '@temporalio/workflow';

export const ORDERS_TASK_QUEUE = 'orders';

/** One order, one saga: the workflow id is derived from the order id so a second start is refused. */
export const orderWorkflowId = (orderId: string): string => `order-${orderId}`;

export const SAGA_STEPS = ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

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
}

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'COMPENSATING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** The undo actions, named as they appear in state, events and e-mails. */
export type CompensationName =
  'releaseReservation' | 'voidPayment' | 'cancelOrderRecord' | 'refundPayment' | 'returnStock';

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
}

export interface OrderSagaResult {
  orderId: string;
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  failure: SagaFailure | null;
  compensations: CompensationName[];
}

export const getStateQuery = defineQuery<OrderSagaState>('getState');
