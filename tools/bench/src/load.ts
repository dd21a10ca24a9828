// The load phase: each step one vegeta attack at a constant rate (a rate of 0 is a pause),
// targets pulled from one stream across steps so keys never repeat, and every result kept.
import type { Action, Step } from './scenarios';
import { EXPECTED_STATUS, actionOf, type GeneratedTarget } from './targets';
import { attack, type HitResult } from './vegeta';

export interface Hit extends HitResult {
  action: Action;
  step: number;
  ok: boolean;
  /** For an accepted placement: the order the API created. */
  orderId?: string;
}

export interface LoadResult {
  hits: Hit[];
  startedAtMs: number;
  endedAtMs: number;
  /** Per step: when it started, so the chart can draw the offered rate. */
  stepStarts: number[];
  /** Targets handed to vegeta; more than were sent, by what each step read ahead. */
  targetsGenerated: number;
}

export async function runLoad(opts: {
  vegeta: string;
  steps: Step[];
  targets: Iterator<GeneratedTarget>;
  runId: string;
  onStep?: (index: number, step: Step) => void;
}): Promise<LoadResult> {
  const hits: Hit[] = [];
  const stepStarts: number[] = [];
  const startedAtMs = Date.now();
  let generated = 0;
  const attacks: Promise<void>[] = [];
  let failure: Error | undefined;
  for (const [index, step] of opts.steps.entries()) {
    stepStarts.push(Date.now());
    opts.onStep?.(index, step);
    if (step.rate > 0) {
      // The next step starts when this one's time is up, not when its last answers are in, so
      // arrivals do not pause between steps while slow requests finish.
      const running = attack({
        binary: opts.vegeta,
        name: `${opts.runId}-step${index}`,
        rate: step.rate,
        durationMs: step.durationMs,
        nextTarget: () => {
          generated += 1;
          return nextOf(opts.targets).target;
        },
        onResult: (result) => hits.push(toHit(result, index)),
      }).catch((err: unknown) => {
        failure ??= err instanceof Error ? err : new Error(`vegeta step ${index}: ${JSON.stringify(err)}`);
      });
      attacks.push(running);
    }
    await new Promise((resolve) => setTimeout(resolve, step.durationMs));
    if (failure !== undefined) break;
  }
  await Promise.all(attacks);
  if (failure !== undefined) throw failure;
  return { hits, startedAtMs, endedAtMs: Date.now(), stepStarts, targetsGenerated: generated };
}

function nextOf<T>(iterator: Iterator<T>): T {
  const next = iterator.next();
  if (next.done === true) throw new Error('the target stream ended');
  return next.value;
}

export function toHit(result: HitResult, step: number): Hit {
  const action = result.url ? (actionOf(result.method, result.url) ?? 'place') : 'place';
  const ok = result.error === '' && EXPECTED_STATUS[action].includes(result.code);
  let orderId: string | undefined;
  if (ok && action === 'place') {
    try {
      orderId = (JSON.parse(result.body) as { orderId?: string }).orderId;
    } catch {
      orderId = undefined; // a truncated body: the order still exists, only its latency is not joined
    }
  }
  return { ...result, action, step, ok, ...(orderId !== undefined && { orderId }) };
}
