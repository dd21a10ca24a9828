// The Stripe emulator misbehaving for a window (POST /_emulator/faults): a provider slower
// than every timeout, 5xx, 429, "idempotency key in use", connections reset before and after
// the operation took effect — each mode on a share of all requests. What the emulator cannot
// do is found out first with harmless probe rules (they name an order that does not exist), so
// an emulator without a mode skips it with a warning. Without per-rule probabilities, the
// window falls back to rules aimed at single orders placed during it.
import { call } from './http';
import { pick, type Random } from './random';

export const FAULT_MODES = [
  'delay',
  'error',
  'error_after_effect',
  'rate_limit',
  'in_use',
  'reset',
  'reset_after_effect',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

const OPERATIONS = ['create', 'confirm', 'capture', 'cancel', 'refund'] as const;

/** Beyond the payment service's 10 s Stripe timeout: the caller gives up, the call still lands. */
export const SLOW_PROVIDER_MS = 13_000;

export interface FaultSupport {
  modes: FaultMode[];
  skipped: { mode: FaultMode; reason: string }[];
  /** The emulator applies `probability`: one rule per mode covers every request. */
  probability: boolean;
  /** A rule may leave `operation` out (any operation). */
  anyOperation: boolean;
}

export interface FaultWindowReport {
  strategy: 'probability' | 'per-order';
  modes: FaultMode[];
  probability: number;
  /** Requests each mode hit, as the emulator counted them. */
  hits: Partial<Record<FaultMode, number>>;
  startedAtMs: number;
  endedAtMs?: number;
}

interface Rule {
  operation?: string;
  orderId?: string;
  mode: FaultMode;
  delayMs?: number;
  times?: number;
  probability?: number;
}

const ruleFor = (mode: FaultMode): Rule =>
  mode === 'delay' ? { mode, delayMs: SLOW_PROVIDER_MS } : { mode };

export class StripeFaults {
  private window?: FaultWindowReport;
  readonly windows: FaultWindowReport[] = [];

  constructor(
    private readonly emulatorUrl: string,
    private readonly support: FaultSupport,
    private readonly random: Random,
    private readonly warn: (message: string) => void,
  ) {}

  static async probe(emulatorUrl: string, runId: string): Promise<FaultSupport> {
    const orderId = `chaos-probe-${runId}`; // never an order: probe rules never fire
    const post = (rule: Rule) => call('POST', `${emulatorUrl}/_emulator/faults`, rule, {});
    const modes: FaultMode[] = [];
    const skipped: FaultSupport['skipped'] = [];
    let probability = false;
    let anyOperation = true;
    const first = await post({ orderId, mode: 'delay', delayMs: 0, probability: 0.5 });
    if (first.status === 400) anyOperation = false;
    for (const mode of FAULT_MODES) {
      const answer = await post({
        orderId,
        ...(anyOperation ? {} : { operation: 'capture' }),
        ...ruleFor(mode),
        probability: 0.5,
      });
      if (answer.status === 201) {
        modes.push(mode);
        probability ||= typeof answer.body.probability === 'number';
      } else {
        const error = answer.body.error as { message?: string } | undefined;
        skipped.push({ mode, reason: `${answer.status}: ${error?.message ?? JSON.stringify(answer.body)}` });
      }
    }
    // The probes never fire, but no rule of this run may outlive it.
    await call('DELETE', `${emulatorUrl}/_emulator/faults`, undefined, {});
    return { modes, skipped, probability, anyOperation };
  }

  get active(): boolean {
    return this.window !== undefined;
  }

  /** Starts a window: each supported mode on `probability` of the requests. */
  async start(probability: number): Promise<FaultWindowReport> {
    const { modes } = this.support;
    const window: FaultWindowReport = {
      strategy: this.support.probability ? 'probability' : 'per-order',
      modes,
      probability,
      hits: {},
      startedAtMs: Date.now(),
    };
    if (this.support.probability) {
      for (const mode of modes) {
        const operations = this.support.anyOperation ? [undefined] : OPERATIONS;
        for (const operation of operations) {
          const rule = { ...ruleFor(mode), ...(operation ? { operation } : {}), times: 1e9, probability };
          const answer = await call('POST', `${this.emulatorUrl}/_emulator/faults`, rule, {});
          if (answer.status !== 201)
            this.warn(`fault rule ${JSON.stringify(rule)} refused: ${answer.status}`);
        }
      }
    }
    this.window = window;
    this.windows.push(window);
    return window;
  }

  /**
   * Per-order fallback: an order accepted during the window gets, with the window's share
   * times the number of modes, one rule for one of its operations.
   */
  async onOrderAccepted(orderId: string): Promise<void> {
    const window = this.window;
    if (!window || window.strategy !== 'per-order' || window.modes.length === 0) return;
    if (this.random() >= Math.min(1, window.probability * window.modes.length)) return;
    const mode = pick(this.random, window.modes);
    const operation = pick(this.random, ['confirm', 'capture', 'capture', 'refund'] as const);
    await call(
      'POST',
      `${this.emulatorUrl}/_emulator/faults`,
      { ...ruleFor(mode), operation, orderId, times: 1 },
      {},
    ).catch(() => undefined);
  }

  /** Ends the window: reads how often each mode hit, then clears every rule. */
  async stop(): Promise<void> {
    const window = this.window;
    this.window = undefined;
    try {
      const listed = await call('GET', `${this.emulatorUrl}/_emulator/faults`, undefined, {});
      const rules = (listed.body.data ?? []) as { mode: FaultMode; hits: number; orderId?: string }[];
      if (window) {
        for (const rule of rules) {
          if (rule.orderId?.startsWith('chaos-probe-')) continue;
          window.hits[rule.mode] = (window.hits[rule.mode] ?? 0) + rule.hits;
        }
      }
    } finally {
      await call('DELETE', `${this.emulatorUrl}/_emulator/faults`, undefined, {});
      if (window) window.endedAtMs = Date.now();
    }
  }

  /** Whatever happens to the run, no fault rule outlives it. */
  async clear(): Promise<void> {
    this.window = undefined;
    await call('DELETE', `${this.emulatorUrl}/_emulator/faults`, undefined, {});
  }
}
