// From the shared scenario file to k6 options, and the other pure decisions the scripts make
// (which action an iteration runs, how many customers spread the placements). Kept free of
// k6 and node imports and globals: k6 runs it, and the node tests import it to check that the
// options k6 would get match scenarios.json.

export type Action = 'place' | 'follow' | 'cancel' | 'refund';
export const ACTIONS: readonly Action[] = ['place', 'follow', 'cancel', 'refund'];

export type Mix = Partial<Record<Action, number>>;

export interface Thresholds {
  errorRate?: number;
  placeP99Ms?: number;
  completionP99Ms?: number;
  terminalRate?: number;
}

export interface Stage {
  target: number;
  duration: string;
}

interface ScenarioCommon {
  description: string;
  preAllocatedVUs: number;
  maxVUs: number;
  mix: Mix;
  setup?: { ordersToPrepare: number };
  thresholds: Thresholds;
}

export type Scenario = ScenarioCommon &
  (
    | { executor: 'constant-arrival-rate'; rate: number; duration: string }
    | { executor: 'ramping-arrival-rate'; startRate: number; stages: Stage[] }
  );

export interface Product {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  onHand: number;
  maxPerOrder: number;
}

export interface ScenarioFile {
  baseUrl: string;
  inventoryUrl: string;
  catalogue: Product[];
  scenarios: Record<string, Scenario>;
}

/** Custom metrics the scripts emit; thresholds and summaries refer to them by these names. */
export const METRICS = {
  /** Trend (ms): place -> COMPLETED from each order's createdAt and updatedAt. */
  completion: 'order_completion',
  /** Rate: orders of the run that are terminal once the run settled. */
  terminal: 'orders_terminal',
  /** Counters: placements answered 202, and how the run's orders ended. */
  accepted: 'orders_accepted',
  completed: 'orders_completed',
  failed: 'orders_failed',
  cancelled: 'orders_cancelled',
} as const;

/** The `name` tag of each request kind, so per-order URLs aggregate into one series. */
export const REQUEST_NAMES = {
  place: 'place',
  follow: 'follow',
  cancel: 'cancel',
  refund: 'refund',
  prepare: 'prepare',
  catalogue: 'catalogue',
  settle: 'settle',
} as const;

export type K6Scenario = {
  preAllocatedVUs: number;
  maxVUs: number;
  timeUnit: string;
  gracefulStop: string;
} & (
  | { executor: 'constant-arrival-rate'; rate: number; duration: string }
  | { executor: 'ramping-arrival-rate'; startRate: number; stages: Stage[] }
);

export interface K6Options {
  scenarios: Record<string, K6Scenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  setupTimeout: string;
  teardownTimeout: string;
}

export interface RunTimeouts {
  /** How long setup may wait for its prepared orders to complete. */
  prepareSeconds: number;
  /** How long teardown waits for the run's orders to become terminal. */
  settleSeconds: number;
}

export const DEFAULT_TIMEOUTS: RunTimeouts = { prepareSeconds: 180, settleSeconds: 180 };

export function selectScenario(file: ScenarioFile, name: string): Scenario {
  const scenario = file.scenarios[name];
  if (!scenario)
    throw new Error(
      `no scenario "${name}" in scenarios.json (has: ${Object.keys(file.scenarios).join(', ')})`,
    );
  return scenario;
}

/** k6 options running exactly the named scenario of the file, with its thresholds. */
export function toK6Options(
  file: ScenarioFile,
  name: string,
  timeouts: RunTimeouts = DEFAULT_TIMEOUTS,
): K6Options {
  const s = selectScenario(file, name);
  const common = {
    preAllocatedVUs: s.preAllocatedVUs,
    maxVUs: s.maxVUs,
    timeUnit: '1s',
    // An iteration may follow an order for a few seconds; let it finish rather than count as cut.
    gracefulStop: '30s',
  };
  const scenario: K6Scenario =
    s.executor === 'constant-arrival-rate'
      ? { executor: s.executor, rate: s.rate, duration: s.duration, ...common }
      : {
          executor: s.executor,
          startRate: s.startRate,
          stages: s.stages.map(({ target, duration }) => ({ target, duration })),
          ...common,
        };
  return {
    scenarios: { [name]: scenario },
    thresholds: toK6Thresholds(s.thresholds),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    // Setup upserts the catalogue, mints tokens and waits for its prepared orders.
    setupTimeout: `${timeouts.prepareSeconds + 60}s`,
    teardownTimeout: `${timeouts.settleSeconds + 60}s`,
  };
}

export function toK6Thresholds(t: Thresholds): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  // `<=` so that errorRate 0 means "no failed request" rather than an impossible `< 0`.
  if (t.errorRate !== undefined) thresholds.http_req_failed = [`rate<=${t.errorRate}`];
  if (t.placeP99Ms !== undefined)
    thresholds[`http_req_duration{name:${REQUEST_NAMES.place}}`] = [`p(99)<${t.placeP99Ms}`];
  if (t.completionP99Ms !== undefined) thresholds[METRICS.completion] = [`p(99)<${t.completionP99Ms}`];
  if (t.terminalRate !== undefined) thresholds[METRICS.terminal] = [`rate>=${t.terminalRate}`];
  return thresholds;
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds in a k6 duration such as `1m30s` or `500ms`. */
export function parseDuration(text: string): number {
  // A sticky regex walked by hand: the k6 runtime is not Node, so no String#matchAll.
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let seconds = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(text)) !== null) {
    seconds += Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1);
    consumed = part.lastIndex;
  }
  if (consumed !== text.length || text.length === 0)
    throw new Error(`"${text}" is not a k6 duration such as 30s, 2m or 1m30s`);
  return seconds;
}

export function scenarioSeconds(s: Scenario): number {
  return s.executor === 'constant-arrival-rate'
    ? parseDuration(s.duration)
    : s.stages.reduce((sum, stage) => sum + parseDuration(stage.duration), 0);
}

/** Highest iterations per second the scenario asks for. */
export function peakRate(s: Scenario): number {
  return s.executor === 'constant-arrival-rate'
    ? s.rate
    : Math.max(s.startRate, ...s.stages.map((stage) => stage.target));
}

/** Share of iterations that place an order (a cancel places the order it cancels). */
export function placingShare(mix: Mix): number {
  return (mix.place ?? 0) + (mix.cancel ?? 0);
}

/**
 * Customers to spread placements over so that none hits the order service's per-customer
 * limit (PLACEMENT_RATE_LIMIT_PER_MINUTE, 60 by default): a minute at the peak rate plus the
 * orders setup prepares, with a quarter to spare for uneven spreading.
 */
export function customerPoolSize(s: Scenario, limitPerMinute = 60): number {
  const perMinute = peakRate(s) * placingShare(s.mix) * 60 + (s.setup?.ordersToPrepare ?? 0);
  return Math.max(1, Math.ceil((perMinute / limitPerMinute) * 1.25));
}

const GOLDEN = 0.6180339887498949;

/**
 * The action of the n-th iteration of the test. A low-discrepancy sequence rather than
 * Math.random: every window of iterations holds each action in close to its share, so a short
 * run still has the mix the file asks for, and a share of 0 is never picked.
 */
export function pickAction(mix: Mix, iteration: number): Action {
  const u = (((iteration + 1) * GOLDEN) % 1) * total(mix);
  let upTo = 0;
  let last: Action | undefined;
  for (const action of ACTIONS) {
    const share = mix[action] ?? 0;
    if (share <= 0) continue;
    upTo += share;
    last = action;
    if (u < upTo) return action;
  }
  if (!last) throw new Error('the mix has no action with a share above 0');
  return last;
}

const total = (mix: Mix) => ACTIONS.reduce((sum, a) => sum + (mix[a] ?? 0), 0);
