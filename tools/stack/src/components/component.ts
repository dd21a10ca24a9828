// One part of the local stack. `up` installs, starts (unless already running) and waits for
// readiness; `down` stops exactly what `up` started.
export interface Component {
  readonly name: string;
  /** Download or build what the part needs; cached, so cheap after the first run. */
  install(): Promise<void>;
  /** The pid of the running part we started, if any. */
  running(): Promise<number | undefined>;
  start(): Promise<void>;
  /** Resolves once the part answers a real request, not just once its port opens. */
  ready(timeoutMs: number): Promise<void>;
  stop(): Promise<boolean>;
  /** Human-readable addresses, printed by `up` and `status`. */
  addresses(): Record<string, string>;
  /** The version of what is actually running, asked of the part itself where it can say. */
  version(): Promise<string>;
  logFile(): string;
}
