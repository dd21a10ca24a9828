// A stateful local Stripe API: PaymentIntents with manual or automatic capture, test-card
// declines, refunds, idempotency keys, latency and faults. stripe-mock proves request shapes;
// this proves behaviour (a capture after a cancel fails, a replay does not charge twice ...).
import express, { type Express } from 'express';
import { createLogger, startServer, type Logger } from '@orders/platform';
import { adminRoutes } from './admin';
import type { ApiDeps } from './api';
import { Faults, parseLatency, type Latency } from './faults';
import { IdempotencyStore } from './idempotency';
import { Operations } from './operations';
import { stripeRoutes } from './routes';
import { EmulatorState } from './state';

export interface EmulatorOptions {
  /** Added to every API request: a fixed number, a range, or text like `"20-80"`. */
  latencyMs?: number | Latency | string;
  /** Share (0..1) of API requests that fail with a 500 api_error before any effect. */
  faultRate?: number;
  /** Source of randomness for latency and the fault rate (tests make it deterministic). */
  random?: () => number;
  logger?: Logger;
}

export interface Emulator {
  app: Express;
  state: EmulatorState;
  faults: Faults;
  idempotency: IdempotencyStore;
}

function latencyOf(option: EmulatorOptions['latencyMs']): Latency {
  if (option === undefined) return { min: 0, max: 0 };
  if (typeof option === 'number') return { min: option, max: option };
  return typeof option === 'string' ? parseLatency(option) : option;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const logger = options.logger ?? createLogger('stripe-emulator', 'silent');
  const state = new EmulatorState();
  const faults = new Faults(latencyOf(options.latencyMs), options.faultRate ?? 0, options.random);
  const idempotency = new IdempotencyStore();
  const deps: ApiDeps = { faults, idempotency, logger, counters: { requests: 0, replays: 0 } };

  const app = express();
  app.disable('x-powered-by');
  // Stripe's GET parameters use bracket notation too (expand[]=..., created[gte]=...).
  app.set('query parser', 'extended');
  app.use(adminRoutes(state, faults, idempotency, deps.counters));
  app.use(express.urlencoded({ extended: true, limit: '1mb' }));
  const stripe = stripeRoutes(deps, state, new Operations(state));
  app.use(stripe);
  app.use((req, res) => {
    res.status(404).json({
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${req.path}).`,
      },
    });
  });
  return { app, state, faults, idempotency };
}

export interface StartOptions extends EmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningEmulator extends Emulator {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const emulator = createEmulator(options);
  const host = options.host ?? '127.0.0.1';
  const server = await startServer(emulator.app, options.port ?? 0, host);
  const url = new URL(server.url);
  return { ...emulator, url: server.url, host, port: Number(url.port), close: () => server.close(1_000) };
}
