// The saga part of `GET /v1/orders/:id`. A Temporal query is answered by a worker, which replays
// the workflow's history when the saga is not in its cache; with sagas open for a 30-day refund
// window, querying on every read would make reads compete with the sagas themselves. So:
//
// - a settled order (completed with nothing under way, failed, cancelled) is answered from the
//   state its saga last reported to the order record (with each outcome, and as a request is
//   accepted or a refund fails in the refund window: see the saga's `reportWith`);
// - an order whose saga is moving (placed, confirmed, compensating, a refund or cancellation
//   under way, or a saga that does not report) queries the saga, within a per-process budget
//   of queries a second and at once; past it, or when the query fails, the last reported state
//   answers (null when there is none: it cannot be known right now, as the schema says).
import { Counter, type Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { OrderSagaState } from '@orders/orchestrator/shared';
import type { Order } from './order';
import type { OrderSagaGateway } from './order-saga-gateway';

export interface SagaReadsOptions {
  /** Queries this process sends to sagas per second, at most. */
  queriesPerSecond: number;
  /** Queries this process has in flight, at most. */
  maxConcurrentQueries: number;
  registry?: Registry;
}

export interface SagaReads {
  /** The saga's state to answer a read of `order` with; null when it cannot be known now. */
  stateOf(order: Order): Promise<OrderSagaState | null>;
}

/**
 * The reported state when it is the saga's final word until someone acts on the order again;
 * undefined when the saga may be ahead of it.
 */
export function settledState(order: Order, now: Date = new Date()): OrderSagaState | undefined {
  const state = order.sagaState;
  if (!state || state.status !== order.status) return undefined;
  if (state.status === 'FAILED' || state.status === 'CANCELLED') return state;
  if (state.status !== 'COMPLETED') return undefined;
  if (state.cancellation || state.refunds.some((r) => r.status === 'pending')) return undefined;
  // The saga closes its window at this time without telling anyone; a query would show it closed.
  if (state.refundWindowEndsAt && Date.parse(state.refundWindowEndsAt) <= now.getTime())
    return { ...state, refundWindowEndsAt: null };
  return state;
}

export function sagaReads(sagas: Pick<OrderSagaGateway, 'state'>, options: SagaReadsOptions): SagaReads {
  if (!(options.queriesPerSecond > 0) || !(options.maxConcurrentQueries > 0))
    throw new Error('saga query budget must be positive (queries per second and concurrent queries)');
  const perSecond = new RateLimiterMemory({ points: options.queriesPerSecond, duration: 1 });
  let inFlight = 0;
  const reads = new Counter({
    name: 'order_reads_saga_state_total',
    help: 'Where GET /v1/orders/:id took the saga state from: record (settled), query, or record_fallback (query budget spent, query failed or no saga yet)',
    labelNames: ['source'] as const,
    registers: options.registry ? [options.registry] : [],
  });

  /** Takes a query slot if the budget allows; the caller gives it back with `inFlight -= 1`. */
  const takeSlot = async (): Promise<boolean> => {
    if (inFlight >= options.maxConcurrentQueries) return false;
    inFlight += 1;
    try {
      await perSecond.consume('queries');
      return true;
    } catch (err) {
      inFlight -= 1;
      if (err instanceof RateLimiterRes) return false;
      throw err;
    }
  };

  return {
    async stateOf(order) {
      const settled = settledState(order);
      if (settled) {
        reads.inc({ source: 'record' });
        return settled;
      }
      // Not started yet (the starter is on it): there is nothing to ask.
      if (order.sagaStarted && (await takeSlot())) {
        try {
          const live = await sagas.state(order.id);
          if (live) {
            reads.inc({ source: 'query' });
            return live;
          }
        } finally {
          inFlight -= 1;
        }
      }
      reads.inc({ source: 'record_fallback' });
      return order.sagaState;
    },
  };
}
