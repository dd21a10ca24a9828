// The load driver's HTTP: one call with a timeout, and a retry loop for answers that say
// "not now" (no connection, 5xx, 429, a timeout). Every retried request carries the same
// Idempotency-Key, which is what makes retrying a placement or a refund safe.
import { sleep } from '@orders/stack/processes';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfterMs?: number;
}

export async function call(
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs = 15_000,
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text: text.slice(0, 200) };
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return {
    status: res.status,
    body: parsed,
    ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}

/** Whether the answer leaves the outcome open: ask again with the same key. */
export const retryable = (status: number): boolean => status === 429 || status >= 500;

export interface Retried {
  /** The last answer; undefined when every attempt failed without one (connection, timeout). */
  answer?: Answer;
  attempts: number;
  lastError?: string;
}

/**
 * Calls until the answer is not retryable or the deadline passes. Backs off from 250 ms to
 * 5 s; a Retry-After is honoured. `stopped` ends the loop early (the run is being torn down).
 */
export async function untilKnown(
  attempt: () => Promise<Answer>,
  opts: { deadlineMs: number; stopped?: () => boolean },
): Promise<Retried> {
  const deadline = Date.now() + opts.deadlineMs;
  let delay = 250;
  let attempts = 0;
  let last: Retried = { attempts: 0 };
  for (;;) {
    attempts += 1;
    try {
      const answer = await attempt();
      last = { answer, attempts };
      if (!retryable(answer.status)) return last;
      if (answer.retryAfterMs !== undefined) delay = Math.min(answer.retryAfterMs, 10_000);
    } catch (err) {
      last = { attempts, lastError: err instanceof Error ? err.message : String(err) };
    }
    if (Date.now() + delay > deadline || opts.stopped?.()) return last;
    await sleep(delay);
    delay = Math.min(delay * 2, 5_000);
  }
}
