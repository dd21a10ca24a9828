// HS256 JWTs the order API accepts (services/order/src/auth/tokens.ts: issuer order-platform,
// audience order-api; a customer token must carry an email, since orders are placed for, and
// e-mailed to, the token's customer). Pure, with the two primitives passed in, so that k6 signs
// with k6/crypto and the node tests sign with node:crypto and verify with the service's code.

export const ISSUER = 'order-platform';
export const AUDIENCE = 'order-api';

export interface Claims {
  sub: string;
  role: 'customer' | 'support';
  email?: string;
  name?: string;
}

export interface JwtPrimitives {
  /** base64url without padding of the UTF-8 bytes of `text`. */
  base64url(text: string): string;
  /** HMAC-SHA256 of `data` keyed with `secret`, base64url without padding. */
  hmacSha256(secret: string, data: string): string;
}

export function signHs256(
  primitives: JwtPrimitives,
  secret: string,
  claims: Claims,
  ttlSeconds: number,
  nowSeconds: number,
): string {
  const header = primitives.base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = primitives.base64url(
    JSON.stringify({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: nowSeconds, exp: nowSeconds + ttlSeconds }),
  );
  return `${header}.${payload}.${primitives.hmacSha256(secret, `${header}.${payload}`)}`;
}

/** A version 4 UUID from 16 random bytes: every placement and refund gets its own Idempotency-Key. */
export function uuidV4From(random: Uint8Array): string {
  if (random.length < 16) throw new Error('a UUID needs 16 random bytes');
  const bytes = random.slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
