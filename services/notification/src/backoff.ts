// Retry timing shared by the consumer (whole deliveries) and the handler (recording a sent mail).

export const MAX_BACKOFF_MS = 10_000;

/** Exponential backoff: `base`, 2x`base`, 4x`base` ... capped at `cap`. `attempt` counts from 1. */
export function backoffDelay(attempt: number, baseMs: number, capMs = MAX_BACKOFF_MS): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (shutdown must not wait out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
