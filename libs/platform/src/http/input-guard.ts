// Every request's input checked once, before any route sees it: a string the database cannot
// store (NUL, an unpaired surrogate) or bytes that are not UTF-8 are a 400 naming the field, so
// a new field, header or query parameter cannot forget the check. Path parameters are checked
// where they are parsed (parseInput), because only the route knows their names.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { ValidationError } from './errors';
import { escapeUnstorable, findUnstorableText, unstorableText } from './text';

/** Inputs already checked in full, so parseInput does not walk a body a second time. */
const checked = new WeakSet<object>();

export function alreadyChecked(value: unknown): boolean {
  return typeof value === 'object' && value !== null && checked.has(value);
}

/**
 * express.json's `verify`: the raw body must be UTF-8. Left alone, body-parser decodes invalid
 * bytes to U+FFFD and the request goes on with text the client never sent.
 */
export function verifyUtf8Body(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  // A plain error marked like body-parser's own (the error handler answers it): body-parser
  // copies its properties onto what is thrown, which an AppError's read-only `type` refuses.
  if (encoding.toLowerCase() === 'utf-8' && !isUtf8(body))
    throw Object.assign(new Error('the request body is not valid UTF-8'), {
      status: 400,
      type: INVALID_UTF8_BODY,
    });
}

export const INVALID_UTF8_BODY = 'entity.invalid.utf8';

/** Mount after body parsing and before the routes. */
export function inputGuard(): RequestHandler {
  return (req, _res, next) => {
    const problem = headerProblem(req.rawHeaders) ?? queryProblem(req.url) ?? bodyProblem(req.body);
    if (problem) {
      next(new ValidationError([problem]));
      return;
    }
    next();
  };
}

function headerProblem(raw: string[]) {
  // Node's parser already refuses NUL and control bytes in headers (server.ts answers those);
  // this covers anything it lets through, named as the client spelled the header.
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const message = unstorableText(raw[i + 1] as string);
    if (message) return { field: raw[i] as string, message };
  }
  return undefined;
}

function queryProblem(url: string) {
  const start = url.indexOf('?');
  if (start < 0) return undefined;
  // The query parser decodes invalid percent-escapes to U+FFFD without complaint, so each
  // parameter is decoded strictly here, once.
  for (const pair of url.slice(start + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const decodedName = decodeStrictly(rawName);
    if (decodedName === undefined)
      return { field: rawName, message: 'the parameter name is not valid UTF-8' };
    const value = eq < 0 ? '' : decodeStrictly(pair.slice(eq + 1));
    if (value === undefined)
      return { field: escapeUnstorable(decodedName), message: 'not valid percent-encoded UTF-8' };
    const message = unstorableText(decodedName) ?? unstorableText(value);
    if (message) return { field: escapeUnstorable(decodedName), message };
  }
  return undefined;
}

function bodyProblem(body: unknown) {
  // express.json is strict: a parsed body is an object or an array, never a bare string.
  if (typeof body !== 'object' || body === null) return undefined;
  const problem = findUnstorableText(body);
  if (!problem) checked.add(body);
  return problem;
}

function decodeStrictly(component: string): string | undefined {
  try {
    return decodeURIComponent(component.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}
