import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { stackVar } from './env';

for (const name of ['ORDERS', 'INVENTORY', 'PAYMENTS', 'NOTIFICATIONS']) {
  test(`the ${name.toLowerCase()} database answers a query through pg`, async () => {
    const client = new pg.Client({ connectionString: stackVar(`${name}_DATABASE_URL`) });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; major: number }>(
        "SELECT current_database() AS db, current_setting('server_version_num')::int / 10000 AS major",
      );
      assert.equal(rows[0]?.db, name.toLowerCase());
      assert.ok((rows[0]?.major ?? 0) >= 15);
    } finally {
      await client.end();
    }
  });
}
