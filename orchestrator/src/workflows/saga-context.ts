// What every part of the saga shares: its live state (answered by the getState query) and the
// event emitter that numbers events, so ids stay `<orderId>:<sequence>` across continue-as-new.
import type { OrderEvent, OrderEventData, OrderEventType } from '@orders/platform/events';
import type { OrderSagaInput, OrderSagaState } from '../shared';
import { mustFinish } from './activity-proxies';

export interface SagaContext {
  input: OrderSagaInput;
  state: OrderSagaState;
  emit<T extends OrderEventType>(type: T, data: OrderEventData<T>): Promise<void>;
  sequence(): number;
}

export function createSagaContext(input: OrderSagaInput): SagaContext {
  const state: OrderSagaState = input.resume?.state ?? {
    orderId: input.orderId,
    status: 'PENDING',
    currentStep: null,
    stepsCompleted: [],
    compensations: [],
    failure: null,
    amounts: { currency: input.currency, total: input.total, authorized: 0, captured: 0, refunded: 0 },
    cancellation: null,
    refunds: [],
    refundWindowEndsAt: null,
  };
  let sequence = input.resume?.sequence ?? 0;
  return {
    input,
    state,
    sequence: () => sequence,
    emit(type, data) {
      sequence += 1;
      const event = {
        id: `${input.orderId}:${sequence}`,
        type,
        orderId: input.orderId,
        sequence,
        occurredAt: new Date().toISOString(), // workflow time: deterministic on replay
        schemaVersion: 1,
        data,
      } as OrderEvent;
      return mustFinish.publishEvent(event);
    },
  };
}
