// What `node --import @orders/platform/telemetry/instrument` loads. Plain JavaScript because
// Node passes --import on to worker threads as well (the Temporal worker runs workflows in
// them), and tsx does not register itself there: a .ts file would fail to load. Tracing has
// nothing to do in those threads, so only the main thread loads the real module.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) await import('./instrument.ts');
