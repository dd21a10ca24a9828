// Fail closed: development defaults apply only when development is asked for by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { baseConfigSchema, loadConfig } from '../src/config';

const schema = baseConfigSchema.extend({
  API_SECRET: z.string({ error: 'required: the API secret' }).min(16),
  SEED: z.enum(['true', 'false']).default('false'),
});
const development = {
  values: { API_SECRET: 'public-development-secret', SEED: 'true' },
  secrets: ['API_SECRET'],
};

test('an unset NODE_ENV is production: a missing secret stops start-up with a message naming it', () => {
  assert.throws(
    () => loadConfig(schema, {}, development),
    (err: Error) =>
      /invalid configuration for production \(NODE_ENV unset\)/.test(err.message) &&
      /API_SECRET: required: the API secret \(required outside development: set it, or set NODE_ENV=development/.test(
        err.message,
      ),
  );
});

test('production refuses the public development value of a secret even when it is set', () => {
  for (const NODE_ENV of [undefined, 'production'])
    assert.throws(
      () => loadConfig(schema, { NODE_ENV, API_SECRET: 'public-development-secret' }, development),
      /API_SECRET: is the public development value/,
    );
});

test('production takes a real secret and keeps non-secret defaults off (no demo seed)', () => {
  const config = loadConfig(schema, { API_SECRET: 'a-real-secret-of-32-characters!!' }, development);
  assert.equal(config.NODE_ENV, 'production');
  assert.equal(config.SEED, 'false');
});

test('development and test, named explicitly, get the development values; set variables still win', () => {
  for (const NODE_ENV of ['development', 'test']) {
    const config = loadConfig(schema, { NODE_ENV }, development);
    assert.deepEqual([config.API_SECRET, config.SEED], ['public-development-secret', 'true']);
    assert.equal(loadConfig(schema, { NODE_ENV, SEED: 'false' }, development).SEED, 'false');
  }
});

test('an unknown NODE_ENV is refused rather than guessed', () => {
  assert.throws(() => loadConfig(schema, { NODE_ENV: 'dev' }, development), /NODE_ENV/);
});
