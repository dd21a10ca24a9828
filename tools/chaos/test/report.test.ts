// How a run's orders and audit become its report and table, and when the run passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OrderRecord } from '../src/load';
import type { OrderPlan } from '../src/mix';
import { formatReport, passed, summariseOrders, type ChaosReport } from '../src/report';
import type { OrderState } from '../src/tracker';

const plan = (index: number, kind: OrderPlan['kind']): OrderPlan => ({
  index,
  kind,
  items: [{ sku: 'A', quantity: 1 }],
  paymentMethod: 'pm_card_visa',
});
const record = (index: number, kind: OrderPlan['kind'], orderId?: string): OrderRecord => ({
  plan: plan(index, kind),
  customer: 0,
  key: `k${index}`,
  placeAttempts: 1,
  ...(orderId ? { orderId } : {}),
});
const state = (status: string, code: string | null = null): OrderState => ({ status, code, updatedAtMs: 0 });

test('orders are counted by outcome, failures by their code, the rest as in flight', () => {
  const records = [
    record(0, 'normal', 'o0'),
    record(1, 'decline', 'o1'),
    record(2, 'scarce', 'o2'),
    { ...record(3, 'cancel', 'o3'), cancel: { result: 'done' as const, status: 200, attempts: 1 } },
    { ...record(4, 'refund', 'o4'), refund: { result: 'done' as const, status: 201, attempts: 2 } },
    record(5, 'normal', 'o5'),
    { ...record(6, 'normal'), notAccepted: 'no answer' },
  ];
  const states = new Map([
    ['o0', state('COMPLETED')],
    ['o1', state('FAILED', 'CARD_DECLINED')],
    ['o2', state('FAILED', 'OUT_OF_STOCK')],
    ['o3', state('CANCELLED')],
    ['o4', state('COMPLETED')],
    ['o5', state('CONFIRMED')],
  ]);
  const s = summariseOrders(records, states);
  assert.equal(s.planned, 7);
  assert.equal(s.accepted, 6);
  assert.equal(s.notAccepted, 1);
  assert.equal(s.inFlight, 1);
  assert.equal(s.terminal, 5);
  assert.deepEqual(s.byOutcome, {
    COMPLETED: 2,
    'FAILED:CARD_DECLINED': 1,
    'FAILED:OUT_OF_STOCK': 1,
    CANCELLED: 1,
    'IN_FLIGHT:CONFIRMED': 1,
  });
  assert.deepEqual(s.cancels, { done: 1 });
  assert.deepEqual(s.refunds, { done: 1 });
  assert.equal(s.byKind.normal, 3);
});

const audit = (status: ChaosReport['audit']['status'], violations = 0): ChaosReport['audit'] => ({
  status,
  exitCode: status === 'ok' ? 0 : 1,
  violations,
  byCheck: violations ? { money: violations } : {},
  sample: violations ? [{ check: 'money', orderId: 'o1', detail: 'captured 100, refunded 0' }] : [],
});

test('a run passes only with a clean audit and nothing in flight', () => {
  const orders = summariseOrders([record(0, 'normal', 'o0')], new Map([['o0', state('COMPLETED')]]));
  assert.equal(passed(orders, audit('ok')), true);
  assert.equal(passed(orders, audit('violations', 2)), false);
  assert.equal(passed(orders, audit('missing')), false);
  const stuck = summariseOrders([record(0, 'normal', 'o0')], new Map([['o0', state('PENDING')]]));
  assert.equal(passed(stuck, audit('ok')), false);
});

test('the table shows each kill, the faults, the outcomes and the audit', () => {
  const orders = summariseOrders([record(0, 'normal', 'o0')], new Map([['o0', state('COMPLETED')]]));
  const report: ChaosReport = {
    runId: 'r1',
    seed: 7,
    commit: 'abc1234',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationSeconds: 300,
    options: { orders: 1, rate: 0.5, rounds: 1, faults: true, refundWindowSeconds: 90 },
    kills: [
      { part: 'temporal', downSeconds: 9.5, recoverySeconds: 1.3, movesWhileDown: 0, inFlightAtKill: 12 },
      { part: 'kafka', downSeconds: 20, recoverySeconds: null, movesWhileDown: 3, inFlightAtKill: 4 },
    ],
    smtpOutages: [{ downSeconds: 61.2 }],
    faultWindows: [
      {
        strategy: 'probability',
        modes: ['delay', 'error'],
        probability: 0.05,
        hits: { delay: 3, error: 5 },
        startedAtMs: 0,
        endedAtMs: 45_000,
        seconds: 45,
      },
    ],
    faultsSkipped: [],
    crashes: [
      {
        app: 'inventory',
        atSeconds: 61,
        restarted: true,
        logTail:
          "node:events:502\n      throw er; // Unhandled 'error' event\n\nerror: terminating connection due to unexpected postmaster exit\n    at parseErrorMessage (x.ts:1:1)",
      },
    ],
    orders,
    audit: audit('violations', 2),
    ok: false,
  };
  const text = formatReport(report);
  assert.match(text, /temporal\s+9\.5\s+1\.3\s+0\s+12/);
  assert.match(text, /kafka\s+20\.0\s+-\s+3\s+4/);
  assert.match(text, /SMTP outages: 61\.2 s/);
  assert.match(text, /delay 3, error 5/);
  assert.match(text, /audit: 2 violations — money 2/);
  assert.match(text, /money: o1 captured 100/);
  assert.match(
    text,
    /CRASH: inventory exited on its own at 61 s \(started again\): error: terminating connection due to unexpected postmaster exit/,
  );
  assert.match(text, /chaos: FAIL$/);
});
