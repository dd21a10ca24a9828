// What the order service asks of a running saga: start it (at most once), its live state, and
// the support requests (cancel, refund) passed to it. adapters/temporal-order-saga-gateway.ts
// implements it on Temporal.
import { DomainError } from '@orders/platform';
import {
  SupportRejection,
  type CancelRequest,
  type CancelResult,
  type OrderSagaInput,
  type OrderSagaState,
  type RefundRequest,
  type RefundResult,
} from '@orders/orchestrator/shared';

export interface OrderSagaGateway {
  start(input: OrderSagaInput): Promise<void>;
  /** Live state, or undefined when the saga is unknown or cannot answer right now. */
  state(orderId: string): Promise<OrderSagaState | undefined>;
  /** Asks the saga to cancel; `pending` when it accepted but has not finished compensating yet. */
  cancel(orderId: string, request: CancelRequest): Promise<CancelResult | { pending: true }>;
  /** Asks the saga to refund; `pending` when it accepted but the refund is still in progress. */
  refund(orderId: string, request: RefundRequest): Promise<RefundResult | { pending: true }>;
}

/** Refusals that break a business rule; every other one is about the order's state. */
const BUSINESS_REFUSALS = new Set<string>([
  SupportRejection.refundExceedsCaptured,
  SupportRejection.refundFailed,
  SupportRejection.idempotencyKeyReused,
  SupportRejection.returnExceedsOrdered,
]);

/** The saga refused a support request, or it has closed (refund window over). */
export class SupportRequestRefused extends DomainError {
  constructor(code: string, message: string) {
    super(BUSINESS_REFUSALS.has(code) ? 'rejected' : 'conflict', code, message);
  }
}
