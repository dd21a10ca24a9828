// One short read-only session per service database: a single REPEATABLE READ transaction, so the
// rows the audit compares with each other (a stock counter and its reservations) are one snapshot.
import pg from 'pg';
import { redactUrl } from '@orders/platform';
import { reading } from './source-error';

export function readSnapshot<T>(
  source: string,
  connectionString: string,
  read: (client: pg.Client) => Promise<T>,
): Promise<T> {
  return reading(source, redact(connectionString), async () => {
    const client = new pg.Client({
      connectionString,
      application_name: 'orders-audit',
      connectionTimeoutMillis: 5_000,
      statement_timeout: 60_000,
    });
    // A dropped connection is reported by the query that needed it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}

/** A connection string without its password, for messages. */
export const redact = (connectionString: string): string => redactUrl(connectionString, 'the database');
