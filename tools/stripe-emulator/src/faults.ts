// Misbehaviour on demand: a global latency and share of failed requests (from env), and rules
// registered by tests (or a chaos run) that hit one operation or all, optionally for one order
// only, a number of times, with a probability.
import { z } from 'zod';
import type { Operation } from './types';

export const FAULT_OPERATIONS = ['create', 'confirm', 'capture', 'cancel', 'refund'] as const;

/**
 * What a matched rule does. Modes "before any effect" leave Stripe's state untouched; modes
 * "after effect" apply the operation (and save it for idempotent replay) and only then fail,
 * which is the case a caller can never tell from the first kind.
 */
export const FAULT_MODES = [
  /** 500 api_error before any effect. */
  'error',
  /** The effect happens and is saved for replay, then 500 api_error. */
  'error_after_effect',
  /** The card is declined (create with confirm=true, confirm). */
  'decline',
  /** Answer normally after `delayMs`: beyond the caller's timeout, a slow provider. */
  'delay',
  /** 429 with Stripe's rate-limit body (code `rate_limit`), before any effect. */
  'rate_limit',
  /** 409 idempotency_error `idempotency_key_in_use`, before any effect. */
  'in_use',
  /** The connection is destroyed before any effect, with no response. */
  'reset',
  /** The effect happens and is saved for replay, then the connection is destroyed. */
  'reset_after_effect',
] as const;

export const faultRuleSchema = z
  .object({
    /** Omitted: any of the operations. */
    operation: z.enum(FAULT_OPERATIONS).optional(),
    /** Matches `metadata.orderId` of the intent (or of the intent being refunded). */
    orderId: z.string().min(1).optional(),
    mode: z.enum(FAULT_MODES),
    /** Wait this long before acting (any mode); for `delay` it defaults to 1000. */
    delayMs: z.number().int().min(0).max(120_000).optional(),
    /** How many matching requests the rule hits; large numbers make a fault window. */
    times: z.number().int().positive().max(1_000_000_000).default(1),
    /** The share of matching requests the rule hits; a request it spares does not count. */
    probability: z.number().min(0).max(1).default(1),
  })
  // Omitted, the operation means any, and a decline then only hits requests that can decline.
  .refine(
    (r) =>
      r.mode !== 'decline' ||
      r.operation === undefined ||
      r.operation === 'create' ||
      r.operation === 'confirm',
    { message: "mode 'decline' applies only to the operations 'create' and 'confirm'", path: ['mode'] },
  );

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.output<typeof faultRuleSchema> & { id: number; hits: number };

export interface Latency {
  min: number;
  max: number;
}

/** `"0"`, `"50"` or a range `"20-80"` (milliseconds). */
export function parseLatency(text: string): Latency {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!match)
    throw new Error(`invalid latency "${text}": use a number of milliseconds or a range like 20-80`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) throw new Error(`invalid latency "${text}": the range must be low-high`);
  return { min, max };
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;
  injected = 0;

  constructor(
    readonly latency: Latency = { min: 0, max: 0 },
    readonly faultRate = 0,
    private readonly random: () => number = Math.random,
  ) {
    if (!(faultRate >= 0 && faultRate <= 1))
      throw new Error(`fault rate must be within 0..1, got ${faultRate}`);
  }

  /** Checks an admin request body; the message names each bad field. */
  validate(input: unknown): { success: true; data: FaultRuleInput } | { success: false; error: string } {
    const parsed = faultRuleSchema.safeParse(input);
    if (parsed.success) return { success: true, data: parsed.data };
    return {
      success: false,
      error: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
    };
  }

  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleSchema.parse(input);
    const rule: FaultRule = {
      ...parsed,
      ...(parsed.mode === 'delay' && parsed.delayMs === undefined ? { delayMs: 1000 } : {}),
      id: this.nextId++,
      hits: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /**
   * The first live rule for any of `operations` and this order that fires, counted as used.
   * A rule whose probability spares this request is passed over (and not counted), so a later
   * rule may still apply. A request that cannot decline (a create without confirm) skips
   * decline rules.
   */
  take(operations: Operation[], orderId: string | undefined, canDecline: boolean): FaultRule | undefined {
    for (const rule of this.rules) {
      if (!matches(rule, operations, orderId, canDecline)) continue;
      if (rule.probability < 1 && !(this.random() < rule.probability)) continue;
      rule.hits++;
      this.injected++;
      return rule;
    }
    return undefined;
  }

  /** The random delay every API request gets. */
  nextLatency(): number {
    const { min, max } = this.latency;
    return max === min ? min : min + Math.floor(this.random() * (max - min + 1));
  }

  /** Whether this request is one of the `faultRate` share that fails. */
  randomFailure(): boolean {
    const fail = this.faultRate > 0 && this.random() < this.faultRate;
    if (fail) this.injected++;
    return fail;
  }
}

function matches(
  rule: FaultRule,
  operations: Operation[],
  orderId: string | undefined,
  canDecline: boolean,
): boolean {
  return (
    rule.hits < rule.times &&
    (rule.operation === undefined || operations.includes(rule.operation)) &&
    (rule.orderId === undefined || rule.orderId === orderId) &&
    (rule.mode !== 'decline' || canDecline)
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
