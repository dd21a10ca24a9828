// Reading the audit's answer: clean, violations, or an audit that could not run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditArgs, summariseAudit } from '../src/audit';

test('the audit is scoped to the run', () => {
  const args = auditArgs({ since: 'T', topic: 'tp', stockBaseline: 'b.json', customerPrefix: 'chaos-x-' });
  assert.deepEqual(args, [
    '--json',
    '--since',
    'T',
    '--topic',
    'tp',
    '--stock-baseline',
    'b.json',
    '--require-terminal',
    '--wait-terminal',
    '120',
    '--customer-prefix',
    'chaos-x-',
  ]);
});

test('exit 0 with ok JSON is clean', () => {
  const s = summariseAudit(0, JSON.stringify({ ok: true, counts: {}, inFlight: [], violations: [] }), '');
  assert.equal(s.status, 'ok');
  assert.equal(s.violations, 0);
});

test('exit 1 counts violations per check and keeps a sample', () => {
  const violations = [
    { check: 'money', orderId: 'o1', detail: 'a' },
    { check: 'money', orderId: 'o2', detail: 'b' },
    { check: 'stock', sku: 'S1', detail: 'c' },
  ];
  const s = summariseAudit(1, `log line\n${JSON.stringify({ ok: false, violations })}`, '');
  assert.equal(s.status, 'violations');
  assert.equal(s.violations, 3);
  assert.deepEqual(s.byCheck, { money: 2, stock: 1 });
  assert.deepEqual(s.sample[2], { check: 'stock', sku: 'S1', detail: 'c' });
});

test('a usage or connection error (exit 2, no JSON) is an error, not a pass', () => {
  const s = summariseAudit(2, '', 'audit: cannot reach PostgreSQL\n');
  assert.equal(s.status, 'error');
  assert.match(s.message ?? '', /exit 2: audit: cannot reach PostgreSQL/);
  assert.equal(summariseAudit(0, 'not json', '').status, 'error');
});
