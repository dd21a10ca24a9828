// The run plan: when each fault happens. Kills (and the Stripe fault windows) run one at a time
// on one track, spread over the load so each one hits sagas in flight; the SMTP outage runs on
// a track of its own, since it stops only e-mail and a kill during it tells its own story.
import { shuffled, type Random } from './random';

/** The parts a chaos run SIGKILLs: every app process, then the infrastructure sagas stand on. */
export const KILLED_PARTS = [
  'worker',
  'order',
  'inventory',
  'payment',
  'notification',
  'kafka',
  'temporal',
  'postgres',
] as const;
export type KilledPart = (typeof KILLED_PARTS)[number];

export type PlannedEvent =
  | { kind: 'kill'; part: KilledPart; atMs: number; estimateMs: number }
  | { kind: 'faults'; atMs: number; durationMs: number }
  | { kind: 'smtp-outage'; atMs: number; durationMs: number };

export interface PlanOptions {
  /** How long orders are placed for. */
  loadMs: number;
  /** Every part is killed once per round; each round has one fault window and one SMTP outage. */
  rounds: number;
  faults: boolean;
  faultWindowMs: number;
  smtpOutageMs: number;
  /** How long a killed part stays down before it is started again. */
  downMs: number;
  /** The least quiet time after an event, for sagas to show they recovered. */
  minGapMs: number;
}

export interface Plan {
  /** The sequential track: kills and fault windows, in start order. */
  sequence: PlannedEvent[];
  /** The concurrent track: SMTP outages. */
  outages: PlannedEvent[];
  /** When the last planned event should end; beyond loadMs the system is already draining. */
  endMs: number;
}

/** What restarting a part costs on 2 cores, measured on the local stack (start to ready). */
const RESTART_ESTIMATE_MS: Record<KilledPart, number> = {
  worker: 6_000,
  order: 6_000,
  inventory: 6_000,
  payment: 6_000,
  notification: 6_000,
  kafka: 15_000,
  temporal: 6_000,
  postgres: 4_000,
};

export const estimateOf = (part: KilledPart, downMs: number): number => downMs + RESTART_ESTIMATE_MS[part];

const durationOf = (event: PlannedEvent): number =>
  event.kind === 'kill' ? event.estimateMs : event.durationMs;

/** Time the sequential track needs with the least gaps: what the load should last at least. */
export function sequenceBusyMs(opts: Omit<PlanOptions, 'loadMs'>): number {
  const perRound =
    KILLED_PARTS.reduce((sum, part) => sum + estimateOf(part, opts.downMs) + opts.minGapMs, 0) +
    (opts.faults ? opts.faultWindowMs + opts.minGapMs : 0);
  return perRound * opts.rounds;
}

/**
 * A default arrival rate: the load lasts as long as the schedule needs (plus a lead-in and a
 * tail), so every event meets sagas in flight. Clamped to what 2 cores sustain comfortably.
 */
export function defaultRate(orders: number, opts: Omit<PlanOptions, 'loadMs'>): number {
  const loadMs = Math.max(sequenceBusyMs(opts), opts.smtpOutageMs * opts.rounds) / 0.8;
  const rate = orders / (loadMs / 1000);
  return Math.min(5, Math.max(0.2, Math.round(rate * 100) / 100));
}

export function planRun(opts: PlanOptions, random: Random): Plan {
  const lead = Math.round(opts.loadMs * 0.08);
  const sequence: PlannedEvent[] = [];
  const outages: PlannedEvent[] = [];
  const roundMs = (opts.loadMs - lead) / opts.rounds;
  for (let round = 0; round < opts.rounds; round++) {
    const events: PlannedEvent[] = KILLED_PARTS.map((part) => ({
      kind: 'kill',
      part,
      atMs: 0,
      estimateMs: estimateOf(part, opts.downMs),
    }));
    if (opts.faults) events.push({ kind: 'faults', atMs: 0, durationMs: opts.faultWindowMs });
    const order = shuffled(random, events);
    const busy = order.reduce((sum, e) => sum + durationOf(e), 0);
    // Spread the round's events evenly over the round; never closer than the least gap.
    const gap = Math.max(opts.minGapMs, (roundMs - busy) / order.length);
    let t = lead + round * roundMs;
    if (sequence.length > 0) {
      const last = sequence[sequence.length - 1]!;
      t = Math.max(t, last.atMs + durationOf(last) + gap);
    }
    for (const event of order) {
      sequence.push({ ...event, atMs: Math.round(t) });
      t += durationOf(event) + gap;
    }
    // The outage starts a quarter into the round, and ends inside the load if it can.
    const outageAt = Math.max(
      lead,
      Math.min(lead + round * roundMs + roundMs * 0.25, opts.loadMs - opts.smtpOutageMs - opts.minGapMs),
    );
    outages.push({ kind: 'smtp-outage', atMs: Math.round(outageAt), durationMs: opts.smtpOutageMs });
  }
  const ends = [...sequence, ...outages].map((e) => e.atMs + durationOf(e));
  return { sequence, outages, endMs: Math.max(opts.loadMs, ...ends) };
}

export function describeEvent(event: PlannedEvent): string {
  switch (event.kind) {
    case 'kill':
      return `kill ${event.part}`;
    case 'faults':
      return `Stripe faults for ${Math.round(event.durationMs / 1000)} s`;
    case 'smtp-outage':
      return `SMTP outage for ${Math.round(event.durationMs / 1000)} s`;
  }
}
