import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { createPool, preparedStatement } from '../src/db';

test('a prepared statement names its columns and keeps one text per name', () => {
  const name = `test.${randomUUID()}`;
  const statement = preparedStatement(name, 'SELECT 1 AS one WHERE $1::int > 0');
  assert.deepEqual(statement, { name, text: 'SELECT 1 AS one WHERE $1::int > 0' });
  assert.equal(preparedStatement(name, 'SELECT 1 AS one WHERE $1::int > 0'), statement);
  assert.throws(() => preparedStatement(name, 'SELECT 2 AS two'), /already defined with another text/);
  assert.throws(
    () => preparedStatement(`test.${randomUUID()}`, 'SELECT * FROM orders'),
    /must name its columns/,
  );
  assert.throws(
    () => preparedStatement(`test.${randomUUID()}`, 'UPDATE orders SET total = 1 RETURNING  *'),
    /must name its columns/,
  );
  // A star that is no result column (the rows of unnest) is fine.
  preparedStatement(`test.${randomUUID()}`, 'INSERT INTO t (a) SELECT a FROM unnest($1::int[]) AS x(a)');
});

test('the server parses a prepared statement once per connection and runs it by name after', async (t) => {
  const url = process.env.ORDERS_DATABASE_URL;
  assert.ok(url, 'ORDERS_DATABASE_URL (the test stack) is needed');
  const pool = createPool(url, { max: 1, application: 'prepared-statement-test' });
  t.after(() => pool.end());
  const name = `test.${randomUUID()}`;
  const statement = preparedStatement(name, 'SELECT $1::int + 1 AS next');

  const first = await pool.query<{ next: number }>(statement, [41]);
  const second = await pool.query<{ next: number }>(statement, [1]);
  assert.equal(first.rows[0]?.next, 42);
  assert.equal(second.rows[0]?.next, 2);

  // One connection (max 1): the statement is held there under its name, prepared once.
  const { rows } = await pool.query<{ statement: string }>(
    'SELECT statement FROM pg_prepared_statements WHERE name = $1',
    [name],
  );
  assert.deepEqual(
    rows.map((r) => r.statement),
    ['SELECT $1::int + 1 AS next'],
  );
});
