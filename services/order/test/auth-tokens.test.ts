// Token service: what verify accepts and refuses, and the mint-token CLI.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { DEV_JWT_SECRET, TokenRejected, createTokenService } from '../src/auth/tokens';
import { TEST_SECRET, tokens } from './support';

const key = new TextEncoder().encode(TEST_SECRET);

/** A token with arbitrary claims, signed with the test secret, to reach verify's claim checks. */
const rawToken = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('order-platform')
    .setAudience('order-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);

const rejection = (reason: 'expired' | 'invalid') => (err: unknown) =>
  err instanceof TokenRejected && err.reason === reason;

test('a signed customer token verifies to its principal', async () => {
  const token = await tokens.sign({
    sub: 'cust-1',
    role: 'customer',
    email: 'ada@example.test',
    name: 'Ada',
  });
  assert.deepEqual(await tokens.verify(token), {
    subject: 'cust-1',
    role: 'customer',
    email: 'ada@example.test',
    name: 'Ada',
  });
});

test('a support token needs no email', async () => {
  const token = await tokens.sign({ sub: 'agent-7', role: 'support' });
  assert.deepEqual(await tokens.verify(token), { subject: 'agent-7', role: 'support' });
});

test('an expired token is refused as expired', async () => {
  const token = await tokens.sign({ sub: 'cust-1', role: 'customer', email: 'a@example.test' }, '-1m');
  await assert.rejects(tokens.verify(token), rejection('expired'));
});

test('a token signed with another secret is refused', async () => {
  const other = createTokenService({ secret: 'another-secret-that-is-long-enough-0123456789' });
  const token = await other.sign({ sub: 'agent-7', role: 'support' });
  await assert.rejects(tokens.verify(token), rejection('invalid'));
});

test('a token for another audience or issuer is refused', async () => {
  const otherAudience = createTokenService({ secret: TEST_SECRET, audience: 'billing-api' });
  const otherIssuer = createTokenService({ secret: TEST_SECRET, issuer: 'someone-else' });
  await assert.rejects(
    tokens.verify(await otherAudience.sign({ sub: 'a', role: 'support' })),
    rejection('invalid'),
  );
  await assert.rejects(
    tokens.verify(await otherIssuer.sign({ sub: 'a', role: 'support' })),
    rejection('invalid'),
  );
});

test('a token without a role, or with an unknown role, is refused', async () => {
  await assert.rejects(
    tokens.verify(await rawToken({ sub: 'cust-1', email: 'a@example.test' })),
    rejection('invalid'),
  );
  await assert.rejects(tokens.verify(await rawToken({ sub: 'cust-1', role: 'admin' })), rejection('invalid'));
});

test('a customer token without an email is refused, and cannot be signed', async () => {
  await assert.rejects(
    tokens.verify(await rawToken({ sub: 'cust-1', role: 'customer' })),
    rejection('invalid'),
  );
  await assert.rejects(tokens.sign({ sub: 'cust-1', role: 'customer' }), /email/);
});

test('a token without a subject, or with an alg other than HS256, is refused', async () => {
  await assert.rejects(tokens.verify(await rawToken({ role: 'support' })), rejection('invalid'));
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ sub: 'a', role: 'support', iss: 'order-platform', aud: 'order-api' }),
  ).toString('base64url')}.`;
  await assert.rejects(tokens.verify(unsigned), rejection('invalid'));
  await assert.rejects(tokens.verify('not-a-jwt'), rejection('invalid'));
});

test('a token must carry exp and iat: without exp a signed token would never expire', async () => {
  const claims = { sub: 'agent-7', role: 'support', iss: 'order-platform', aud: 'order-api' };
  const header = { alg: 'HS256' as const };
  const noExp = await new SignJWT(claims).setProtectedHeader(header).setIssuedAt().sign(key);
  const noIat = await new SignJWT(claims).setProtectedHeader(header).setExpirationTime('1h').sign(key);
  await assert.rejects(
    tokens.verify(noExp),
    (err) => rejection('invalid')(err) && /no exp claim/.test(String(err)),
  );
  await assert.rejects(
    tokens.verify(noIat),
    (err) => rejection('invalid')(err) && /no iat claim/.test(String(err)),
  );
});

test('a token living longer than the cap is refused, and cannot be signed', async () => {
  const capped = createTokenService({ secret: TEST_SECRET, maxLifetimeSeconds: 3600 });
  const long = await new SignJWT({ sub: 'agent-7', role: 'support' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('order-platform')
    .setAudience('order-api')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(key);
  await assert.rejects(
    capped.verify(long),
    (err) => rejection('invalid')(err) && /longer than/.test(String(err)),
  );
  await assert.rejects(
    capped.sign({ sub: 'agent-7', role: 'support' }, '2h'),
    /longer than the 3600 s allowed/,
  );
  assert.equal(
    (await capped.verify(await capped.sign({ sub: 'agent-7', role: 'support' }, '1h'))).role,
    'support',
  );
  // The default cap is a day: a week-long token is refused at signing.
  await assert.rejects(tokens.sign({ sub: 'agent-7', role: 'support' }, '7d'), /longer than/);
});

test('a token issued in the future is refused: iat cannot stretch its lifetime past the cap', async () => {
  const nextYear = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const stretched = await new SignJWT({ sub: 'agent-7', role: 'support' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('order-platform')
    .setAudience('order-api')
    .setIssuedAt(nextYear)
    .setExpirationTime(nextYear + 1800)
    .sign(key);
  await assert.rejects(tokens.verify(stretched), rejection('invalid'));
});

test('a secret shorter than 32 characters is refused at construction', () => {
  assert.throws(() => createTokenService({ secret: 'too-short' }), /at least 32 characters/);
});

const mintToken = fileURLToPath(new URL('../src/auth/mint-token.ts', import.meta.url));
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', mintToken, ...args], {
    env: { ...process.env, JWT_SECRET: '', ...env },
  });

test('mint-token prints a token the service accepts', async () => {
  const { stdout } = await run([
    '--role',
    'customer',
    '--sub',
    'cust-9',
    '--email',
    'c9@example.test',
    '--ttl',
    '8h',
  ]);
  const devTokens = createTokenService({ secret: DEV_JWT_SECRET });
  assert.deepEqual(await devTokens.verify(stdout.trim()), {
    subject: 'cust-9',
    role: 'customer',
    email: 'c9@example.test',
  });

  const { stdout: support } = await run(['--role', 'support', '--sub', 'agent-7'], {
    JWT_SECRET: TEST_SECRET,
  });
  assert.equal((await tokens.verify(support.trim())).role, 'support');
});

test('mint-token refuses bad arguments with usage and exit code 2', async () => {
  for (const args of [
    ['--role', 'customer', '--sub', 'cust-1'],
    ['--role', 'admin', '--sub', 'x'],
    ['--role', 'support'],
    ['--role', 'support', '--sub', 'x', '--ttl', 'forever'],
    ['--role', 'support', '--sub', 'x', '--bogus'],
  ]) {
    await assert.rejects(run(args), (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 2, args.join(' '));
      assert.match(err.stderr ?? '', /usage: mint-token/);
      return true;
    });
  }
});
