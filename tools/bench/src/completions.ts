// How each order ended, taken from the system itself: the saga's terminal domain events on the
// run's own Kafka topic (their occurredAt is the workflow's time of the decision), and the
// order's created_at as the order service recorded it. Nothing polls the API.
import type { Kafka, Consumer } from 'kafkajs';
import pg from 'pg';
import { parseOrderEvent } from '@orders/platform/events';

export type Outcome = 'COMPLETED' | 'FAILED' | 'CANCELLED';

export interface Terminal {
  outcome: Outcome;
  atMs: number;
}

export interface CompletionWatcher {
  /** Terminal event per order id (the first one: a completed order later cancelled stays COMPLETED here). */
  terminal: Map<string, Terminal>;
  /** Resolves once every id has a terminal event, or with the ids still open at the deadline. */
  waitFor(ids: Iterable<string>, timeoutMs: number): Promise<string[]>;
  stop(): Promise<void>;
}

const OUTCOMES: Record<string, Outcome> = {
  OrderCompleted: 'COMPLETED',
  OrderFailed: 'FAILED',
  OrderCancelled: 'CANCELLED',
};

/** Reads the topic from its beginning: the topic is created for this run, so that is all of it. */
export async function watchCompletions(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<CompletionWatcher> {
  const terminal = new Map<string, Terminal>();
  let malformed = 0;
  // Fetches in batches and commits nothing (the group is the run's own, read once): the bench's
  // reading must not show up in Kafka's CPU per saga. Completion times come from the events, so
  // a later read only delays noticing the drain's end, by at most the fetch wait.
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, minBytes: 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      let event;
      try {
        event = parseOrderEvent(JSON.parse(String(message.value)));
      } catch {
        malformed += 1; // the notification service dead-letters these; the bench only counts them
        return;
      }
      const outcome = OUTCOMES[event.type];
      if (outcome && !terminal.has(event.orderId))
        terminal.set(event.orderId, { outcome, atMs: Date.parse(event.occurredAt) });
    },
  });

  return {
    terminal,
    async waitFor(ids, timeoutMs) {
      const wanted = [...ids];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = wanted.filter((id) => !terminal.has(id));
        if (open.length === 0 || Date.now() > deadline) {
          if (malformed > 0) console.warn(`bench: ${malformed} malformed events on ${topic}`);
          return open;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop: () => consumer.disconnect(),
  };
}

/** created_at of each order, as stored by the order service (one query, after the run). */
export async function orderCreationTimes(databaseUrl: string, ids: string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; created_at: Date }>(
      'SELECT id, created_at FROM orders WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.created_at.getTime()]));
  } finally {
    await client.end();
  }
}
