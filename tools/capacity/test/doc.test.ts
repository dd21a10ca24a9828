// deploy/SCALING.md's tables are generated: they must be what the generator gives today.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generatedPart } from '../src/format';
import { generate, SCALING_DOC } from '../src/generate';

test('deploy/SCALING.md is what the capacity model generates from the default report', () => {
  const current = generatedPart(readFileSync(SCALING_DOC, 'utf8'));
  assert.ok(current !== undefined, 'deploy/SCALING.md has no capacity markers');
  const expected = generate();
  if (current !== expected)
    assert.fail('deploy/SCALING.md is stale: regenerate it with `npm run capacity -- --write`');
});
