// Helpers every workspace's tests share, defined once so they behave and read the same in the
// services' own tests, the end-to-end tests and the tools' tests.
import { randomUUID } from 'node:crypto';

/**
 * Polls until `read` returns something other than undefined and returns it. The deadline only
 * bounds a broken run (a test never fails because the machine is slow); it names `what` so the
 * failure says what never happened.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** An order id no other test (or earlier run on the same database) has used. */
export const uniqueOrderId = (prefix = 'order'): string => `${prefix}-${randomUUID()}`;
