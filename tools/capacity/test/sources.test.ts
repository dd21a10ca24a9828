// The model's code facts hold only while the code says so: each cited file must still contain
// the text the figure was read from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { LIMITS, NOTIFICATION_WRITES, STRIPE_CALLS, WRITE_SITES, type Limit } from '../src/limits';
import { REPO_ROOT } from '@orders/stack/repo-root';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

test('code limits still read as cited', () => {
  for (const [name, limit] of Object.entries(LIMITS) as [string, Limit][]) {
    if (limit.kind !== 'code') continue;
    assert.ok(limit.evidence, `${name} cites no evidence`);
    assert.ok(
      read(limit.source).includes(limit.evidence),
      `${limit.source} no longer says: ${limit.evidence}`,
    );
  }
});

test('every write site, notification write and Stripe call is still in its file', () => {
  for (const site of WRITE_SITES)
    assert.ok(read(site.file).includes(site.call), `${site.file}: ${site.call}`);
  const repo = read(NOTIFICATION_WRITES.file);
  for (const call of [...NOTIFICATION_WRITES.recorded.calls, ...NOTIFICATION_WRITES.emailed.calls])
    assert.ok(repo.includes(call), `${NOTIFICATION_WRITES.file}: ${call}`);
  const gateway = read(STRIPE_CALLS.file);
  for (const e of STRIPE_CALLS.endpoints)
    assert.ok(gateway.includes(e.evidence), `${STRIPE_CALLS.file}: ${e.evidence}`);
});

test('every non-code figure names a source', () => {
  for (const [name, limit] of Object.entries(LIMITS) as [string, Limit][])
    assert.ok(limit.source.length > 10, name);
});
