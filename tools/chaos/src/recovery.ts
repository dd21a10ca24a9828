// Recovery after a kill, from the times sagas visibly moved (order status changes): the time
// from the restart to the first move after it. A move while the part was down says the part
// was not on every saga's path at that moment (e.g. the notification service), which the
// report shows beside the figure.
export interface KillTimes {
  killedAtMs: number;
  /** When the restart began (the stack's start()); the recovery clock starts here. */
  restartAtMs: number;
  /** When the part answered its readiness check again. */
  readyAtMs: number;
}

export interface Recovery {
  /** kill → ready again. */
  downSeconds: number;
  /** restart → the first saga moving after it; null when none moved before `untilMs`. */
  recoverySeconds: number | null;
  /** Saga moves between the kill and the restart. */
  movesWhileDown: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function recoveryOf(times: KillTimes, progressAtMs: readonly number[], untilMs = Infinity): Recovery {
  let first: number | undefined;
  let whileDown = 0;
  for (const t of progressAtMs) {
    if (t > times.killedAtMs && t < times.restartAtMs) whileDown += 1;
    if (t >= times.restartAtMs && t < untilMs && (first === undefined || t < first)) first = t;
  }
  return {
    downSeconds: seconds(times.readyAtMs - times.killedAtMs),
    recoverySeconds: first === undefined ? null : seconds(first - times.restartAtMs),
    movesWhileDown: whileDown,
  };
}
