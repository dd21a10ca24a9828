// The bearer tokens of one run: given (-e CUSTOMER_TOKENS / CUSTOMER_TOKEN / SUPPORT_TOKEN,
// minted with `npm run -s token`) or signed here when -e JWT_SECRET is the order service's.
import { b64encode } from 'k6/encoding';
import { hmac, randomBytes } from 'k6/crypto';
import { signHs256, uuidV4From, type Claims, type JwtPrimitives } from './jwt.ts';

const k6Primitives: JwtPrimitives = {
  base64url: (text) => b64encode(text, 'rawurl'),
  hmacSha256: (secret, data) => hmac('sha256', secret, data, 'base64rawurl'),
};

export function signToken(secret: string, claims: Claims, ttlSeconds: number): string {
  return signHs256(k6Primitives, secret, claims, ttlSeconds, Math.floor(Date.now() / 1000));
}

export function uuidV4(): string {
  return uuidV4From(new Uint8Array(randomBytes(16)));
}

export interface TokenPool {
  customers: string[];
  support: string | undefined;
  /** The run minted its own customers, so their orders are this run's orders alone. */
  minted: boolean;
}

/**
 * Minted customers get ids unique to the run: the per-customer placement limit then applies
 * to this run only, and teardown's audit of "the run's orders" is exact.
 */
export function runTokens(env: Record<string, string>, poolSize: number, ttlSeconds: number): TokenPool {
  const given = (env.CUSTOMER_TOKENS || env.CUSTOMER_TOKEN || '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const secret = env.JWT_SECRET;
  if (given.length > 0) return { customers: given, support: env.SUPPORT_TOKEN || undefined, minted: false };
  if (!secret)
    throw new Error(
      'no customer token: pass -e JWT_SECRET=<the order service secret>, or -e CUSTOMER_TOKENS=<t1,t2,...> minted with npm run -s token -- --role customer ...',
    );
  const run = uuidV4().slice(0, 8);
  const customers = Array.from({ length: poolSize }, (_, i) =>
    signToken(
      secret,
      { sub: `loadtest-${run}-${i}`, role: 'customer', email: `loadtest+${run}-${i}@example.test` },
      ttlSeconds,
    ),
  );
  const support =
    env.SUPPORT_TOKEN || signToken(secret, { sub: `loadtest-${run}-support`, role: 'support' }, ttlSeconds);
  return { customers, support, minted: true };
}
