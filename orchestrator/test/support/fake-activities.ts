// Activities that record what the saga asked for, and fail where a test says, so the workflow's
// control flow (order of steps, compensations, events) can be checked on the real Temporal server.
import { ApplicationFailure } from '@temporalio/common';
import type { OrderEvent } from '@orders/platform/events';
import type { Activities } from '../../src/activities';
import type { OrderSagaState } from '../../src/shared';

export type FakeCall = { name: keyof Activities; detail?: string };

export interface FakeActivityOptions {
  /** The forward activity that rejects the order (after taking effect, as a timeout would). */
  failAt?: keyof Activities;
  /** A compensation that fails with a retryable error this many times before it succeeds. */
  flakyCompensation?: { name: keyof Activities; failures: number };
  /** How long each event takes to publish (an event on its way must not hold the saga). */
  publishDelayMs?: number;
  /** A forward activity that takes this long (a slow step, e.g. to cancel the saga during it). */
  slow?: { name: keyof Activities; ms: number };
  /** Steps whose carried events Kafka does not take in time (they hand them back to the saga). */
  unannounced?: (keyof Activities)[];
}

export function fakeActivities(options: FakeActivityOptions = {}) {
  const calls: FakeCall[] = [];
  /** `<sequence>:<type>` of each event when it was out (by a step, publishEvent or recordOutcome). */
  const events: string[] = [];
  const publish = async (event: OrderEvent) => {
    if (options.publishDelayMs) await new Promise((resolve) => setTimeout(resolve, options.publishDelayMs));
    events.push(`${event.sequence}:${event.type}`);
    calls.push({ name: 'publishEvent', detail: `out ${event.sequence}:${event.type}` });
  };
  /** Every state the saga reported to the order record (with an outcome or on its own). */
  const reports: OrderSagaState[] = [];
  /** A step's announcements of earlier facts, published before its own work (events.ts). */
  const announceFirst = async (name: keyof Activities, announce?: OrderEvent[]) => {
    if (options.unannounced?.includes(name)) return { announced: false };
    for (const event of announce ?? []) {
      if (options.publishDelayMs) await new Promise((resolve) => setTimeout(resolve, options.publishDelayMs));
      events.push(`${event.sequence}:${event.type}`);
      calls.push({ name, detail: `announced ${event.sequence}:${event.type}` });
    }
    return { announced: true };
  };
  const carrying = async (name: keyof Activities, announce?: OrderEvent[]) => {
    const announced = await announceFirst(name, announce);
    await record(name);
    return announced;
  };
  const failuresLeft = { count: options.flakyCompensation?.failures ?? 0 };
  const record = async (name: keyof Activities, detail?: string) => {
    if (options.slow?.name === name) await new Promise((resolve) => setTimeout(resolve, options.slow?.ms));
    calls.push({ name, detail });
    if (options.failAt === name)
      throw ApplicationFailure.nonRetryable(`${name} rejected by the test`, `${name.toUpperCase()}_REJECTED`);
    if (options.flakyCompensation?.name === name && failuresLeft.count > 0) {
      failuresLeft.count -= 1;
      throw new Error(`${name} is temporarily unavailable`);
    }
  };
  const activities: Activities = {
    validateOrder: async (_order, announce) => carrying('validateOrder', announce),
    reserveStock: async () => record('reserveStock'),
    pinReservation: async (_id, announce) => carrying('pinReservation', announce),
    commitReservation: async (_id, announce) => carrying('commitReservation', announce),
    releaseReservation: async () => record('releaseReservation'),
    returnStock: async () => record('returnStock'),
    authorizePayment: async (req) => {
      await record('authorizePayment');
      return { paymentIntentId: 'pi_fake', amount: req.amount };
    },
    capturePayment: async () => {
      await record('capturePayment');
      return { paymentIntentId: 'pi_fake', captured: 2500 };
    },
    // As the real one: the pin (carrying the saga's announcements), then the capture.
    captureHeldPayment: async (orderId, announce) => {
      const announced = await activities.pinReservation(orderId, announce);
      return {
        ...(await activities.capturePayment(orderId)),
        capturedAt: new Date().toISOString(),
        ...announced,
      };
    },
    returnItems: async (_id, items) =>
      record('returnItems', items.map((i) => `${i.sku}x${i.quantity}`).join(',')),
    issueRefund: async (_id, refund) => {
      await record('issueRefund');
      return { amount: refund.amount };
    },
    voidPayment: async () => {
      await record('voidPayment');
      return { captured: 0, refunded: 0 };
    },
    refundPayment: async () => {
      await record('refundPayment');
      return { amount: 0 };
    },
    confirmOrder: async () => record('confirmOrder'),
    cancelOrderRecord: async () => record('cancelOrderRecord'),
    recordOutcome: async (_id, outcome, event) => {
      await record('recordOutcome', outcome.status);
      if (outcome.saga) reports.push(outcome.saga);
      if (event) await publish(event);
      return { announced: true };
    },
    recordSagaState: async (_id, saga) => {
      await record('recordSagaState', `r${saga.revision ?? 0}`);
      reports.push(saga);
    },
    publishEvent: async (event) => {
      await record('publishEvent', `${event.sequence}:${event.type}`);
      await publish(event);
    },
  };
  return { activities, calls, events, reports };
}
