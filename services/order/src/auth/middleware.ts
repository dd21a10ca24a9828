// Authentication and authorization of the public /v1 API: who is calling (a verified bearer
// JWT) and whether their role may do this. Failures are thrown as platform AppErrors, so the
// one error middleware renders them as problem+json like every other error. The internal
// routes take the service token instead (the platform's guard in the service skeleton).
import type { RequestHandler, Response } from 'express';
import { AppError, bearerToken } from '@orders/platform';
import { TokenRejected, type Principal, type Role, type TokenService } from './tokens';

const REALM = 'orders';

/** Verifies `Authorization: Bearer <jwt>` and stores the caller in `res.locals.principal`. */
export function authenticate(tokens: TokenService): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (token === undefined) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${REALM}"`);
      throw unauthorized('UNAUTHENTICATED', 'send a bearer token in the Authorization header');
    }
    try {
      res.locals.principal = await tokens.verify(token);
    } catch (err) {
      if (!(err instanceof TokenRejected)) throw err;
      const expired = err.reason === 'expired';
      res.setHeader(
        'WWW-Authenticate',
        `Bearer realm="${REALM}", error="invalid_token", error_description="${expired ? 'the token expired' : 'the token is invalid'}"`,
      );
      throw unauthorized(expired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID', err.message);
    }
    next();
  };
}

/** Mount after `authenticate`: only callers with one of `roles` pass. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const { role } = principalOf(res);
    if (!roles.includes(role))
      throw new AppError(403, 'Forbidden', `this operation is not allowed for the ${role} role`, {
        code: 'FORBIDDEN',
      });
    next();
  };
}

/** The caller `authenticate` verified; a route reached without it is a wiring bug, not a client error. */
export function principalOf(res: Response): Principal {
  const principal: unknown = res.locals.principal;
  if (!isPrincipal(principal)) throw new Error('no principal on the response: mount authenticate() first');
  return principal;
}

function unauthorized(code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID', detail: string): AppError {
  return new AppError(401, 'Unauthorized', detail, { code });
}

function isPrincipal(value: unknown): value is Principal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    typeof value.subject === 'string' &&
    'role' in value &&
    (value.role === 'customer' || value.role === 'support')
  );
}
