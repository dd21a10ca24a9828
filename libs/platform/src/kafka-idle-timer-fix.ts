// kafkajs 2.2.4 (its last release) keeps every connection's request queue polling itself once the
// first request has gone out: `checkPendingRequests` always re-schedules itself, and with nothing
// pending and no throttle the delay is negative, so each connection runs a setTimeout loop of
// about one wake-up per millisecond for as long as it is open (tulios/kafkajs#1556, #1704; the
// fix below is the one proposed in tulios/kafkajs#1667, unreleased). Nearly idle, that was about
// 45 % of the notification service's and the worker's CPU (loadtest/BENCHMARKS.md, fifth round).
//
// The queue's own check is kept where it has a job: requests waiting for an in-flight slot or
// for a broker-imposed throttle to end. Nothing else is changed; a request that can go out goes
// out at once (push), and every answer re-checks the queue (fulfillRequest), so no wake-up is
// lost by not polling an empty one.
import { createRequire } from 'node:module';

interface RequestQueueInternals {
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  throttledUntil: number;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval for re-checking requests that wait for an in-flight slot. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

const require = createRequire(import.meta.url);

function patchRequestQueue(): boolean {
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as
    { prototype?: Partial<RequestQueueInternals> } | undefined;
  const proto = RequestQueue?.prototype;
  // A kafkajs whose queue looks different is left alone; the test of this module then fails.
  if (typeof proto?.scheduleCheckPendingRequests !== 'function') return false;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.throttleCheckTimeoutId) return;
    const throttledForMs = this.throttledUntil - Date.now();
    if (this.pending.length === 0 && throttledForMs <= 0) return;
    const delay = throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
  return true;
}

/** Whether this process's kafkajs runs with the fix (applied once, when this module loads). */
export const kafkaIdleTimerFixApplied: boolean = patchRequestQueue();
