// Serves the support console (services/console, built by Vite) under /console/ on the API's own
// origin, so the page calls the public API without CORS; plus, only in development, a sign-in
// that mints a support token. Mounted before body parsing, except the sign-in (it reads JSON).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { AppError, parseInput } from '@orders/platform';
import { z } from 'zod';
import type { TokenService } from '../auth/tokens';

/** Where `npm run build -w @orders/console` writes the page. */
export function defaultConsoleDir(): string {
  const manifest = createRequire(import.meta.url).resolve('@orders/console/package.json');
  return path.join(path.dirname(manifest), 'dist');
}

// The page loads only its own files and talks only to this origin.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function consolePage(distDir: string): Router {
  const router = Router();
  const security: RequestHandler = (_req, res, next) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  };
  // Express routes ignore a trailing slash: `/console` and `/console/` reach the same handler.
  router.get(['/console', '/console/index.html'], security, (req, res) => {
    // Relative asset URLs need the trailing slash.
    if (req.path === '/console') return res.redirect(301, '/console/');
    const index = path.join(distDir, 'index.html');
    // Checked per request: a build finishing after start-up is picked up without a restart.
    if (!existsSync(index))
      throw new AppError(
        503,
        'Console not built',
        `the support console has no build in ${distDir}: run \`npm run build -w @orders/console\``,
        { code: 'CONSOLE_NOT_BUILT' },
      );
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  // Vite names assets by content hash: a cached copy can never be stale.
  router.use(
    '/console/assets',
    security,
    express.static(path.join(distDir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: true,
    }),
  );
  return router;
}

const signInBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[\w.-]+$/, 'letters, digits, . _ -')
      .optional(),
  })
  .strict();

/** Development only (NODE_ENV=development or test): never mounted in production. */
export function devSignIn(tokens: TokenService, ttl = '8h'): Router {
  const router = Router();
  router.get('/console/dev-sign-in', (_req, res) => {
    res.json({ available: true, role: 'support', ttl });
  });
  router.post('/console/dev-sign-in', async (req, res) => {
    const { name } = parseInput(signInBody, req.body ?? {});
    const subject = `dev-${name ?? 'support'}`;
    const token = await tokens.sign({ sub: subject, role: 'support' }, ttl);
    res.setHeader('cache-control', 'no-store');
    res.status(201).json({ token, subject, role: 'support', ttl });
  });
  return router;
}
