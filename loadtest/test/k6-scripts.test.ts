// k6 itself may not run here, so these tests hold the scripts to what can be checked without
// it: they type-check against @types/k6, each loads its scenario from scenarios.json, the
// options k6 would get are the file's, the file matches its schema, and the tokens the scripts
// sign are ones the order service accepts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { createTokenService } from '@orders/order/auth';
import { signHs256, uuidV4From, type JwtPrimitives } from '../k6/lib/jwt';
import {
  ACTIONS,
  METRICS,
  customerPoolSize,
  parseDuration,
  peakRate,
  pickAction,
  placingShare,
  toK6Options,
  type Mix,
} from '../k6/lib/scenario-options';
import { BUILT_IN_SCENARIOS, loadScenarioFile, scenarioFileSchema } from '../scenario-schema';

const loadtest = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(loadtest, '..');
const k6Dir = join(loadtest, 'k6');
const file = loadScenarioFile();
const rawFile: unknown = JSON.parse(readFileSync(join(loadtest, 'scenarios.json'), 'utf8'));

test('the k6 scripts type-check against @types/k6', { timeout: 120_000 }, async () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', join(loadtest, 'tsconfig.json'), '--noEmit'], {
      cwd: root,
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    assert.fail(`tsc -p loadtest/tsconfig.json --noEmit:\n${stdout ?? ''}${stderr ?? ''}`);
  }
});

describe('scenarios.json', () => {
  test('validates against the exported schema', () => {
    const parsed = scenarioFileSchema.safeParse(rawFile);
    assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 2));
  });

  const variant = (change: (f: typeof file) => void) => {
    const copy = structuredClone(file);
    change(copy);
    return scenarioFileSchema.safeParse(copy).success;
  };

  test('the schema refuses what k6 or the scripts could not run', () => {
    assert.equal(
      variant((f) => void (f.scenarios.mixed!.mix = { place: 0.5, follow: 0.3 })),
      false,
      'mix sum',
    );
    assert.equal(
      variant((f) => void (f.scenarios.steady!.maxVUs = 1)),
      false,
      'maxVUs < preAllocatedVUs',
    );
    assert.equal(
      variant((f) => void delete f.scenarios.mixed!.setup),
      false,
      'refund without prepared orders',
    );
    assert.equal(
      variant((f) => void delete f.scenarios.ramp),
      false,
      'a built-in scenario missing',
    );
    assert.equal(
      variant((f) => Object.assign(f.scenarios.steady!, { rate: 2.5 })),
      false,
      'fractional rate',
    );
    assert.equal(
      variant((f) => Object.assign(f.scenarios.steady!, { duraton: '1m' })),
      false,
      'misspelt key',
    );
    assert.equal(
      variant((f) => Object.assign(f.scenarios.steady!, { duration: '1 minute' })),
      false,
      'duration',
    );
    assert.equal(
      variant((f) => void (f.catalogue[0]!.currency = 'usd')),
      false,
      'two currencies',
    );
    assert.equal(
      variant(() => undefined),
      true,
      'the unchanged file',
    );
  });
});

describe('every script runs its scenario from scenarios.json', () => {
  test('there is exactly one script per built-in scenario', () => {
    const scripts = readdirSync(k6Dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    assert.deepEqual(scripts, [...BUILT_IN_SCENARIOS].sort());
  });

  for (const name of BUILT_IN_SCENARIOS) {
    test(`${name}.ts opens ../scenarios.json and exports what k6 needs`, () => {
      const source = readFileSync(join(k6Dir, `${name}.ts`), 'utf8');
      assert.match(source, new RegExp(`scenarioRun\\(open\\('\\.\\./scenarios\\.json'\\), '${name}'\\)`));
      assert.match(source, /from '\.\/lib\/run\.ts'/);
      for (const exported of ['options', 'setup', 'teardown', 'handleSummary'])
        assert.match(source, new RegExp(`export const ${exported}\\b`), `exports ${exported}`);
      assert.match(source, /export default run\.iteration/);
    });

    test(`${name}: the k6 options are the file's scenario`, () => {
      const s = file.scenarios[name]!;
      const options = toK6Options(file, name);
      assert.deepEqual(Object.keys(options.scenarios), [name]);
      const k6 = options.scenarios[name]!;
      assert.equal(k6.executor, s.executor);
      assert.equal(k6.preAllocatedVUs, s.preAllocatedVUs);
      assert.equal(k6.maxVUs, s.maxVUs);
      assert.equal(k6.timeUnit, '1s', 'the file gives rates per second');
      if (s.executor === 'constant-arrival-rate' && k6.executor === 'constant-arrival-rate') {
        assert.equal(k6.rate, s.rate);
        assert.equal(k6.duration, s.duration);
      } else if (s.executor === 'ramping-arrival-rate' && k6.executor === 'ramping-arrival-rate') {
        assert.equal(k6.startRate, s.startRate);
        assert.deepEqual(k6.stages, s.stages);
      } else assert.fail('executor kinds differ');

      const expected: Record<string, string[]> = {};
      const t = s.thresholds;
      if (t.errorRate !== undefined) expected.http_req_failed = [`rate<=${t.errorRate}`];
      if (t.placeP99Ms !== undefined) expected['http_req_duration{name:place}'] = [`p(99)<${t.placeP99Ms}`];
      if (t.completionP99Ms !== undefined) expected[METRICS.completion] = [`p(99)<${t.completionP99Ms}`];
      if (t.terminalRate !== undefined) expected[METRICS.terminal] = [`rate>=${t.terminalRate}`];
      assert.deepEqual(options.thresholds, expected);
      assert.ok(
        options.summaryTrendStats.includes('p(99)'),
        'the summary shows the p99 the thresholds judge',
      );
    });
  }
});

test('k6 can resolve every import: k6 modules or relative .ts files, never node or npm', () => {
  const files = [
    ...readdirSync(k6Dir).map((f) => join(k6Dir, f)),
    ...readdirSync(join(k6Dir, 'lib')).map((f) => join(k6Dir, 'lib', f)),
  ].filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  for (const path of files) {
    const source = readFileSync(path, 'utf8');
    for (const [, specifier] of source.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
      assert.ok(specifier, path);
      if (specifier.startsWith('.')) {
        assert.match(specifier, /\.ts$/, `${path}: k6 needs the extension in ${specifier}`);
        assert.ok(existsSync(resolve(dirname(path), specifier)), `${path}: ${specifier} exists`);
      } else assert.match(specifier, /^k6(\/|$)/, `${path}: ${specifier} is not a k6 module`);
    }
  }
  // The modules node imports too must not pull k6 in.
  for (const pure of ['scenario-options.ts', 'jwt.ts'])
    assert.doesNotMatch(readFileSync(join(k6Dir, 'lib', pure), 'utf8'), /^import /m, pure);
});

describe('pure decisions', () => {
  test('durations', () => {
    assert.equal(parseDuration('30s'), 30);
    assert.equal(parseDuration('1m30s'), 90);
    assert.equal(parseDuration('500ms'), 0.5);
    assert.equal(parseDuration('2h'), 7200);
    assert.throws(() => parseDuration('30'));
    assert.throws(() => parseDuration('1m 30s'));
  });

  test('the action sequence follows the mix and never picks a zero share', () => {
    const mixes: Mix[] = [file.scenarios.mixed!.mix, { place: 1 }, { place: 0.9, refund: 0.1 }];
    for (const mix of mixes) {
      const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0]));
      const n = 10_000;
      for (let i = 0; i < n; i++) counts[pickAction(mix, i)]! += 1;
      for (const action of ACTIONS) {
        const share = mix[action] ?? 0;
        if (share === 0) assert.equal(counts[action], 0, `${action} has no share`);
        else assert.ok(Math.abs(counts[action]! / n - share) < 0.01, `${action}: ${counts[action]} of ${n}`);
      }
    }
  });

  test('the customer pool keeps each customer under the placement limit', () => {
    for (const name of BUILT_IN_SCENARIOS) {
      const s = file.scenarios[name]!;
      for (const limit of [60, 600]) {
        const pool = customerPoolSize(s, limit);
        const perCustomerPerMinute =
          (peakRate(s) * placingShare(s.mix) * 60 + (s.setup?.ordersToPrepare ?? 0)) / pool;
        assert.ok(
          perCustomerPerMinute <= limit * 0.8,
          `${name} at ${limit}/min: ${perCustomerPerMinute} per customer`,
        );
      }
    }
  });
});

describe('credentials the scripts make', () => {
  const nodePrimitives: JwtPrimitives = {
    base64url: (text) => Buffer.from(text, 'utf8').toString('base64url'),
    hmacSha256: (secret, data) => createHmac('sha256', secret).update(data).digest('base64url'),
  };
  const secret = 'k6-scripts-test-secret-0123456789abcdef';
  const now = Math.floor(Date.now() / 1000);

  test('the order service accepts the tokens signed in-script', async () => {
    const tokens = createTokenService({ secret });
    const customer = signHs256(
      nodePrimitives,
      secret,
      { sub: 'loadtest-1', role: 'customer', email: 'loadtest+1@example.test' },
      600,
      now,
    );
    assert.deepEqual(await tokens.verify(customer), {
      subject: 'loadtest-1',
      role: 'customer',
      email: 'loadtest+1@example.test',
    });
    const support = signHs256(nodePrimitives, secret, { sub: 'agent-1', role: 'support' }, 600, now);
    assert.deepEqual(await tokens.verify(support), { subject: 'agent-1', role: 'support' });
    const expired = signHs256(nodePrimitives, secret, { sub: 'agent-1', role: 'support' }, 60, now - 3600);
    await assert.rejects(tokens.verify(expired));
    const forged = signHs256(
      nodePrimitives,
      `${secret}-other`,
      { sub: 'agent-1', role: 'support' },
      600,
      now,
    );
    await assert.rejects(tokens.verify(forged));
  });

  test('idempotency keys are distinct version 4 UUIDs', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => uuidV4From(randomBytes(16))));
    assert.equal(keys.size, 1000);
    for (const key of keys)
      assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
