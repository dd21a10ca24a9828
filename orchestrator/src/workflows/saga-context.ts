// What every part of the saga shares: its live state (answered by the getState query, and
// reported to the order record, which answers reads from it), and the event emitter that numbers
// events, so ids stay `<orderId>:<sequence>` across continue-as-new.
// Events leave in sequence order: a publish is scheduled when the one before it is out, so a
// saga may go on with its next step while an event is still on its way. Since
// `patched('events-ride-with-the-next-step')` the forward saga's events ride with its next step
// instead (`announceWithNextStep`, `carrying`): no activity of their own unless Kafka is slow.
import { CancellationScope } from '@temporalio/workflow';
import type { OrderEvent, OrderEventData, OrderEventType } from '@orders/platform/events';
import type { Announced } from '../activities/events';
import type { OrderSagaInput, OrderSagaState } from '../shared';
import { mustFinish, reporting } from './activity-proxies';
import type { SagaShape } from './saga-shape';

export interface SagaContext {
  input: OrderSagaInput;
  state: OrderSagaState;
  /** Which versioned changes this run has (saga-shape.ts). */
  readonly shape: SagaShape;
  /** Publishes an event and waits until it is out. */
  emit<T extends OrderEventType>(type: T, data: OrderEventData<T>): Promise<void>;
  /**
   * Publishes an event without waiting for it. A failure to publish surfaces at the next
   * awaited emit or `published()` (every saga path ends in one).
   */
  emitInBackground<T extends OrderEventType>(type: T, data: OrderEventData<T>): void;
  /** Settles when every event emitted so far is out (announcements still waiting go out first). */
  published(): Promise<void>;
  /**
   * Numbers an event of a fact that just happened and keeps it for the saga's next step to
   * publish before its own work (`carrying`); sequence order is the order of the facts.
   */
  announceWithNextStep<T extends OrderEventType>(type: T, data: OrderEventData<T>, occurredAt?: string): void;
  /**
   * Calls a step's activity with the announcements waiting for it. Those it could not publish,
   * or all of them when it failed (out or not, unknown), are published in activities of their
   * own, in order, before any later event; a re-sent id is dropped by consumers.
   */
  carrying<T extends Announced>(call: (announce?: OrderEvent[]) => Promise<T>): Promise<T>;
  /** Numbers the next event for an activity that publishes it itself (after `published()`). */
  nextEvent<T extends OrderEventType>(type: T, data: OrderEventData<T>, occurredAt?: string): OrderEvent;
  sequence(): number;
  /**
   * Whether this saga keeps the order record's copy of its state current (sagas started before
   * `patched('order-record-holds-saga-state')` do not: their reads query them).
   */
  readonly reportsState: boolean;
  /**
   * For an outcome the order record is about to store: the state as it is once that outcome is
   * recorded (`changes` applied, under the next revision); nothing for a saga that does not report.
   */
  reportWith(changes?: Partial<OrderSagaState>): { saga?: OrderSagaState };
  /**
   * Reports the state as it is now (a request accepted, a refund refused), in the background:
   * best effort, see `reporting`.
   */
  reportInBackground(): void;
}

export function createSagaContext(
  input: OrderSagaInput,
  options: { shape: SagaShape; reportsState: boolean },
): SagaContext {
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
  let inFlight = 0;
  let previous: Promise<void> = Promise.resolve();
  /** Announcements waiting for the saga's next step. */
  let waiting: OrderEvent[] = [];

  /**
   * `occurredAt` defaults to workflow time, deterministic on replay but not across attempts of one
   * workflow task: a task lost after a local step published (the worker killed) runs again later
   * and would announce the same id with a later time. The events local steps carry therefore take
   * their time from history (the placement, the recorded capture; an outcome's is the order
   * record's, set by recordOutcome), so every send is the same.
   */
  const nextEvent = <T extends OrderEventType>(
    type: T,
    data: OrderEventData<T>,
    occurredAt?: string,
  ): OrderEvent => {
    sequence += 1;
    return {
      id: `${input.orderId}:${sequence}`,
      type,
      orderId: input.orderId,
      sequence,
      occurredAt: occurredAt ?? new Date().toISOString(),
      schemaVersion: 1,
      data,
    } as OrderEvent;
  };

  const publishInOrder = (event: OrderEvent): Promise<void> => {
    // Scheduled in the same activation when nothing is in flight, as sagas recorded before
    // background emits existed expect on replay; otherwise once the event before it is out.
    // Non-cancellable: a fact that happened is announced even when the saga is cancelled.
    const publish = () => CancellationScope.nonCancellable(() => mustFinish.publishEvent(event));
    const published = inFlight === 0 ? publish() : previous.then(publish);
    inFlight += 1;
    previous = published.finally(() => {
      inFlight -= 1;
    });
    // Observed here so a failure is not an unhandled rejection; it still reaches later emits.
    previous.catch(() => undefined);
    return published;
  };

  /** Announcements that will not ride with a step: each in an activity of its own, in order. */
  const publishSeparately = (events: OrderEvent[]) => {
    for (const event of events) publishInOrder(event).catch(() => undefined);
  };
  const flushWaiting = () => {
    publishSeparately(waiting);
    waiting = [];
  };

  /** A copy, so the report carries the state of this moment whatever the saga does next. */
  const snapshot = (changes: Partial<OrderSagaState> = {}): OrderSagaState => {
    state.revision = (state.revision ?? 0) + 1;
    return JSON.parse(JSON.stringify({ ...state, ...changes })) as OrderSagaState;
  };
  const { reportsState, shape } = options;

  return {
    input,
    state,
    shape,
    reportsState,
    reportWith: (changes) => (reportsState ? { saga: snapshot(changes) } : {}),
    reportInBackground() {
      if (!reportsState) return;
      const saga = snapshot();
      // Non-cancellable like events: a saga cancelled from outside still shows what it did.
      CancellationScope.nonCancellable(() => reporting.recordSagaState(input.orderId, saga)).catch(
        () => undefined,
      );
    },
    sequence: () => sequence,
    nextEvent,
    emit: (type, data) => publishInOrder(nextEvent(type, data)),
    emitInBackground(type, data) {
      publishInOrder(nextEvent(type, data)).catch(() => undefined);
    },
    published: () => {
      flushWaiting();
      return previous;
    },
    announceWithNextStep(type, data, occurredAt) {
      waiting.push(nextEvent(type, data, occurredAt));
    },
    async carrying(call) {
      // An event still on its way in an activity of its own goes first: the later ones follow it.
      if (inFlight > 0) flushWaiting();
      const announce = waiting;
      waiting = [];
      if (announce.length === 0) return call();
      try {
        const result = await call(announce);
        if (!result.announced) publishSeparately(announce);
        return result;
      } catch (err) {
        publishSeparately(announce);
        throw err;
      }
    },
  };
}
