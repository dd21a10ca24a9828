// Bearer tokens for the public API: HS256 JWTs signed with one shared secret. The service both
// mints (through the mint-token CLI, for local development) and verifies them; a deployment
// fronted by an identity provider would swap this for a JWKS verifier with the same Principal.
import { SignJWT, errors, jwtVerify } from 'jose';
import { z } from 'zod';

/** Only for local development and tests; the service refuses it when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'local-development-secret-change-me-0123456789';

export const ROLES = ['customer', 'support'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  role: Role;
  email?: string;
  name?: string;
}

export interface TokenClaims {
  sub: string;
  role: Role;
  email?: string;
  name?: string;
}

/** Why a token was refused: an expired token asks the client to sign in again, anything else is a bug or an attack. */
export class TokenRejected extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(100),
    role: z.enum(ROLES),
    email: z.email().max(254).optional(),
    name: z.string().min(1).max(200).optional(),
  })
  // Orders are placed for the token's customer and e-mailed to them, so the address must be there.
  .refine((c) => c.role !== 'customer' || c.email !== undefined, {
    message: 'customer tokens must carry an email',
    path: ['email'],
  });

/** The longest a token may live (exp - iat); a leaked token must not stay useful for long. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export interface TokenServiceOptions {
  secret: string;
  issuer?: string;
  audience?: string;
  /** Tokens living longer than this (exp - iat), or without exp or iat, are refused. */
  maxLifetimeSeconds?: number;
}

export interface TokenService {
  /** `ttl` is a jose time span: '1h', '30m', '8h' ('-1m' mints an already expired token). */
  sign(claims: TokenClaims, ttl?: string): Promise<string>;
  verify(token: string): Promise<Principal>;
}

export function createTokenService({
  secret,
  issuer = 'order-platform',
  audience = 'order-api',
  maxLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
}: TokenServiceOptions): TokenService {
  // HS256 with a short secret is brute-forceable offline from any token a client holds.
  if (secret.length < 32) throw new Error('the JWT secret must be at least 32 characters long');
  const key = new TextEncoder().encode(secret);

  return {
    async sign(claims, ttl = '1h') {
      const parsed = claimsSchema.safeParse(claims);
      if (!parsed.success) throw new Error(`cannot sign token: ${describeIssues(parsed.error)}`);
      const { sub, ...rest } = parsed.data;
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = now + secondsOf(ttl);
      if (expiresAt - now > maxLifetimeSeconds)
        throw new Error(`cannot sign token: --ttl ${ttl} is longer than the ${maxLifetimeSeconds} s allowed`);
      return new SignJWT(rest)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(expiresAt)
        .sign(key);
    },

    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, {
          issuer,
          audience,
          algorithms: ['HS256'],
          // Without exp a signed token would never expire; iat bounds how old one may be.
          requiredClaims: ['exp', 'iat'],
          maxTokenAge: maxLifetimeSeconds,
        }));
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw new TokenRejected('expired', 'the token has expired');
        throw new TokenRejected('invalid', describeJoseError(err), { cause: err });
      }
      const { exp, iat } = payload as { exp: number; iat: number };
      if (exp - iat > maxLifetimeSeconds)
        throw new TokenRejected('invalid', `the token lives longer than the ${maxLifetimeSeconds} s allowed`);
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success)
        throw new TokenRejected('invalid', `the token's claims are invalid: ${describeIssues(claims.error)}`);
      const { sub, role, email, name } = claims.data;
      return {
        subject: sub,
        role,
        ...(email !== undefined ? { email } : {}),
        ...(name !== undefined ? { name } : {}),
      };
    },
  };
}

/** Seconds of a jose time span ('90s', '30m', '8h', '7d', '-1m'). */
function secondsOf(span: string): number {
  const match = /^(-?\d+)\s?(s|m|h|d|w)$/.exec(span.trim());
  if (!match) throw new Error(`cannot sign token: ${span} is not a time span like 30m, 8h or 1d`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

function describeJoseError(err: unknown): string {
  if (err instanceof errors.JWTClaimValidationFailed)
    return err.reason === 'missing'
      ? `the token has no ${err.claim} claim`
      : `the token's ${err.claim} claim is not accepted`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  return 'the token is malformed or not accepted';
}

const describeIssues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(claims)'}: ${i.message}`).join('; ');
