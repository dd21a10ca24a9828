// Misbehaviour on demand: a global latency and share of failed requests (from env), and rules
// registered by tests that hit one operation, optionally for one order only, a number of times.
import { z } from 'zod';
import type { Operation } from './types';

export const faultRuleSchema = z
  .object({
    operation: z.enum(['create', 'confirm', 'capture', 'cancel', 'refund']),
    /** Matches `metadata.orderId` of the intent (or of the intent being refunded). */
    orderId: z.string().min(1).optional(),
    /**
     * error: 500 api_error before any effect; error_after_effect: the effect happens (and is
     * saved for idempotent replay), then 500; decline: the card is declined; delay: answer
     * normally after `delayMs`.
     */
    mode: z.enum(['error', 'error_after_effect', 'decline', 'delay']),
    /** Wait this long before acting; for `delay` it defaults to 1000. */
    delayMs: z.number().int().min(0).max(120_000).optional(),
    times: z.number().int().positive().default(1),
  })
  .refine((r) => r.mode !== 'decline' || r.operation === 'create' || r.operation === 'confirm', {
    message: "mode 'decline' applies only to the operations 'create' and 'confirm'",
    path: ['mode'],
  });

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
   * The first live rule for any of `operations` and this order, counted as used. A request
   * that cannot decline (a create without confirm) skips decline rules.
   */
  take(operations: Operation[], orderId: string | undefined, canDecline: boolean): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.hits < r.times &&
        operations.includes(r.operation) &&
        (r.orderId === undefined || r.orderId === orderId) &&
        (r.mode !== 'decline' || canDecline),
    );
    if (rule) {
      rule.hits++;
      this.injected++;
    }
    return rule;
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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
