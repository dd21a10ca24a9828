// Where each of the run's orders stands, read from the order service's own table (its durable
// read model) every half second. It scopes by the run's customer prefix, so an order whose
// placement answer was lost is still seen. Each status change is a sign of saga progress; its
// time is the row's updated_at, which the database sets as the change commits. PostgreSQL is
// itself killed during the run: a failed poll is simply tried again.
import pg from 'pg';

export const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export interface OrderState {
  status: string;
  /** failure.code of a FAILED order (OUT_OF_STOCK, CARD_DECLINED, …). */
  code: string | null;
  updatedAtMs: number;
}

export type StatusListener = (orderId: string, state: OrderState) => void;

export interface Tracker {
  states: Map<string, OrderState>;
  /** Times a saga visibly moved (a status change committed), in the order seen. */
  progressAtMs: number[];
  onChange(listener: StatusListener): void;
  inFlight(): number;
  terminal(): number;
  /** Polls failed in a row (PostgreSQL down, say); 0 when the last poll worked. */
  failingPolls(): number;
  stop(): Promise<void>;
}

export function startTracker(opts: {
  databaseUrl: string;
  customerPrefix: string;
  intervalMs?: number;
}): Tracker {
  const states = new Map<string, OrderState>();
  const progressAtMs: number[] = [];
  const listeners: StatusListener[] = [];
  let failing = 0;
  let stopped = false;

  async function poll(): Promise<void> {
    const client = new pg.Client({
      connectionString: opts.databaseUrl,
      connectionTimeoutMillis: 2_000,
      query_timeout: 5_000,
    });
    client.on('error', () => undefined); // a server killed under an open connection
    try {
      await client.connect();
      const { rows } = await client.query<{
        id: string;
        status: string;
        code: string | null;
        updated_at: Date;
      }>(`SELECT id, status, failure->>'code' AS code, updated_at FROM orders WHERE customer_id LIKE $1`, [
        `${opts.customerPrefix}%`,
      ]);
      failing = 0;
      for (const row of rows) {
        const before = states.get(row.id);
        if (before?.status === row.status) continue;
        const state = { status: row.status, code: row.code, updatedAtMs: row.updated_at.getTime() };
        states.set(row.id, state);
        // A new PENDING order is an accepted request, not a saga moving.
        if (before !== undefined || row.status !== 'PENDING') progressAtMs.push(state.updatedAtMs);
        for (const listener of listeners) listener(row.id, state);
      }
    } catch {
      failing += 1;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await poll();
      const wait = (opts.intervalMs ?? 500) - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();

  return {
    states,
    progressAtMs,
    onChange: (listener) => listeners.push(listener),
    inFlight: () => [...states.values()].filter((s) => !TERMINAL.has(s.status)).length,
    terminal: () => [...states.values()].filter((s) => TERMINAL.has(s.status)).length,
    failingPolls: () => failing,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
