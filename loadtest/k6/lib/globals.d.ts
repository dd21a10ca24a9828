// k6 provides a console (its lines go to k6's log) that @types/k6 does not declare, and the
// k6 project compiles without the DOM or node libraries that would.
declare const console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};
