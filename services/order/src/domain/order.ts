// The order as this service knows it: the durable read model of every saga.
import { DomainError } from '@orders/platform';
import type { Customer, OrderLine, OrderSagaState, SagaFailure } from '@orders/orchestrator/shared';

export type OrderRecordStatus = 'PENDING' | 'CONFIRMED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface Order {
  id: string;
  customer: Customer;
  items: OrderLine[];
  currency: string;
  total: number;
  paymentMethod: string;
  status: OrderRecordStatus;
  statusReason: string | null;
  failure: SagaFailure | null;
  compensations: string[];
  /** Minor units refunded so far. */
  refunded: number;
  sagaStarted: boolean;
  /** The saga's state as it last reported it (null until it does, or if it never will). */
  sagaState: OrderSagaState | null;
  /** W3C traceparent of the request that placed it (its saga is started in that trace). */
  traceparent: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export class OrderNotFound extends DomainError {
  constructor(readonly orderId: string) {
    super('not_found', 'ORDER_NOT_FOUND', `order ${orderId} does not exist`);
  }
}

export class OrderClosed extends DomainError {
  constructor(
    readonly orderId: string,
    readonly status: OrderRecordStatus,
  ) {
    super('conflict', 'ORDER_CLOSED', `order ${orderId} is already ${status.toLowerCase()}`, {
      orderStatus: status,
    });
  }
}
