// The steady stream of orders: one placement every 1/rate seconds through the public API, each
// with its own Idempotency-Key and retried with that key while the order service (or what it
// stands on) is down. Some customers cancel during the saga; support refunds part of some
// completed orders, a few with items returned. The driver never waits for one order before
// placing the next: arrivals are open, as a shop's are.
import { sleep } from '@orders/stack/processes';
import { call, untilKnown, type Retried } from './http';
import type { OrderPlan } from './mix';
import type { Tracker } from './tracker';

export type ActionResult = 'done' | 'pending' | 'refused' | 'gave-up';

export interface OrderRecord {
  plan: OrderPlan;
  customer: number;
  key: string;
  orderId?: string;
  acceptedAtMs?: number;
  /** Why a placement never got its 202 (the last answer or error). */
  notAccepted?: string;
  placeAttempts: number;
  cancel?: { result: ActionResult; status?: number; code?: string; attempts: number };
  refund?: { result: ActionResult; status?: number; code?: string; attempts: number };
}

export interface LoadOptions {
  orderUrl: string;
  runId: string;
  plans: OrderPlan[];
  rate: number;
  tokens: { customers: string[]; support: string };
  tracker: Tracker;
  /** How long one request keeps being retried with its key (outages last seconds, not minutes). */
  retryDeadlineMs?: number;
  onAccepted?: (record: OrderRecord) => void;
  /** The run is being torn down: place nothing more, stop retrying. */
  interrupted?: () => boolean;
}

export interface LoadDriver {
  records: OrderRecord[];
  /** Resolves when the last order's placement has been sent (its answer may still be out). */
  placed: Promise<void>;
  /** Every placement, cancel and refund the driver started has an answer (or gave up). */
  settled(): Promise<void>;
  /** Actions not yet answered. */
  pending(): number;
  /** Places the next `count` orders at once; resolves with how many once they are sent. */
  burst(count: number): Promise<number>;
  stop(): void;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function outcomeOf(retried: Retried, okStatuses: number[], pendingStatuses: number[]) {
  const status = retried.answer?.status;
  const code = typeof retried.answer?.body.code === 'string' ? retried.answer.body.code : undefined;
  const result: ActionResult =
    status === undefined || status === 429 || status >= 500
      ? 'gave-up'
      : okStatuses.includes(status)
        ? 'done'
        : pendingStatuses.includes(status)
          ? 'pending'
          : 'refused';
  return {
    result,
    attempts: retried.attempts,
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

export function startLoad(opts: LoadOptions): LoadDriver {
  const records: OrderRecord[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const byOrderId = new Map<string, OrderRecord>();
  const deadlineMs = opts.retryDeadlineMs ?? 300_000;
  let stoppedHere = false;
  const isStopped = () => stoppedHere || (opts.interrupted?.() ?? false);
  const retry = { deadlineMs, stopped: isStopped };
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  async function place(record: OrderRecord): Promise<void> {
    const retried = await untilKnown(
      () =>
        call(
          'POST',
          `${opts.orderUrl}/v1/orders`,
          { items: record.plan.items, paymentMethod: record.plan.paymentMethod },
          { ...bearer(opts.tokens.customers[record.customer]!), 'idempotency-key': record.key },
        ),
      retry,
    );
    record.placeAttempts = retried.attempts;
    const orderId = retried.answer?.body.orderId;
    if (retried.answer?.status !== 202 || typeof orderId !== 'string') {
      record.notAccepted = retried.answer
        ? `${retried.answer.status} ${JSON.stringify(retried.answer.body).slice(0, 160)}`
        : (retried.lastError ?? 'no answer');
      return;
    }
    record.orderId = orderId;
    record.acceptedAtMs = Date.now();
    byOrderId.set(orderId, record);
    opts.onAccepted?.(record);
    maybeRefund(orderId); // it may have completed before its placement's answer came back
    if (record.plan.kind === 'cancel') {
      await sleep(record.plan.cancelAfterMs ?? 0);
      const answer = await untilKnown(
        () =>
          call(
            'POST',
            `${opts.orderUrl}/v1/orders/${orderId}/cancel`,
            { reason: 'chaos: changed my mind' },
            bearer(opts.tokens.customers[record.customer]!),
          ),
        retry,
      );
      // 409: the saga had already ended — a cancel that came too late is refused, not lost.
      record.cancel = outcomeOf(answer, [200], [202]);
    }
  }

  async function refund(record: OrderRecord): Promise<void> {
    const { refund: wanted } = record.plan;
    if (!wanted || !record.orderId) return;
    const body = {
      amount: wanted.amount,
      reason: 'chaos: one unit arrived broken',
      ...(wanted.items ? { items: wanted.items } : {}),
    };
    const answer = await untilKnown(
      () =>
        call('POST', `${opts.orderUrl}/v1/orders/${record.orderId}/refunds`, body, {
          ...bearer(opts.tokens.support),
          'idempotency-key': `${record.key}:refund`,
        }),
      retry,
    );
    record.refund = outcomeOf(answer, [201], [202]);
  }

  // Support refunds an order once it has completed (the tracker sees it in the orders table).
  function maybeRefund(orderId: string): void {
    const record = byOrderId.get(orderId);
    if (opts.tracker.states.get(orderId)?.status !== 'COMPLETED') return;
    if (!record?.plan.refund || record.refund || isStopped()) return;
    record.refund = { result: 'gave-up', attempts: 0 }; // claimed; replaced by the answer
    track(refund(record));
  }
  opts.tracker.onChange((orderId) => maybeRefund(orderId));

  // Orders go out on a steady clock; a burst sends the next few at once and moves the clock on
  // by as many, so the total stays the same. Bursts put sagas in flight just before a kill.
  let advanced = 0;
  let finished = false;
  const bursts: { count: number; answered: Promise<unknown>[]; done: () => void }[] = [];
  const placed = (async () => {
    const started = Date.now();
    for (const plan of opts.plans) {
      if (isStopped()) break;
      for (;;) {
        const burst = bursts[0];
        if (burst || isStopped()) break;
        const wait = started + ((plan.index - advanced) * 1000) / opts.rate - Date.now();
        if (wait <= 0) break;
        await sleep(Math.min(wait, 100));
      }
      const record: OrderRecord = {
        plan,
        customer: plan.index % opts.tokens.customers.length,
        key: `chaos-${opts.runId}-${plan.index}`,
        placeAttempts: 0,
      };
      records.push(record);
      const placing = place(record);
      track(placing);
      const burst = bursts[0];
      if (burst) {
        advanced += 1;
        burst.answered.push(placing);
        if (burst.answered.length >= burst.count) {
          bursts.shift();
          burst.done();
        }
      }
    }
    finished = true;
    for (const burst of bursts.splice(0)) burst.done(); // the plan ran out first
  })();

  async function burst(count: number): Promise<number> {
    if (count <= 0 || isStopped() || finished) return 0;
    const answered: Promise<unknown>[] = [];
    // Resolves once they are sent: their sagas are what the kill should meet in flight.
    await new Promise<void>((resolve) => bursts.push({ count, answered, done: resolve }));
    return answered.length;
  }

  return {
    records,
    placed,
    async settled() {
      await placed;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    pending: () => inFlight.size,
    burst,
    stop() {
      stoppedHere = true;
    },
  };
}
