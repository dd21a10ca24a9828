// Fault injection for tests and game days: rules registered over HTTP make matching requests
// fail (or slow down) a given number of times, so a saga test can make "commit fails for
// order X" happen in the real service. Mounted only when FAULT_INJECTION=true; never in
// production values.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { sendProblem } from './middleware';
import { parseInput } from './validate';

const ruleSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  /** An express-style path with `:params`, e.g. `/v1/reservations/:orderId/commit`. */
  path: z.string().startsWith('/'),
  /** All must equal the request's path params or top-level body fields. */
  match: z.record(z.string(), z.string()).default({}),
  /** Answer with this status (a problem document), or omit to only delay. */
  status: z.number().int().min(400).max(599).optional(),
  /** null: an answer without a business code, as a proxy or a token check gives (e.g. a 401). */
  code: z.string().nullable().default('INJECTED_FAULT'),
  detail: z.string().default('fault injected for testing'),
  delayMs: z.number().int().min(0).max(120_000).default(0),
  times: z.number().int().positive().default(1),
});

type Rule = z.infer<typeof ruleSchema> & { id: number; pattern: RegExp; keys: string[]; hits: number };

export interface FaultInjection {
  /** The admin routes: POST /_faults, GET /_faults, DELETE /_faults. */
  admin: Router;
  /** Mount after body parsing, before the routes. */
  middleware: RequestHandler;
}

export function faultInjection(): FaultInjection {
  let rules: Rule[] = [];
  let nextId = 1;

  const admin = Router();
  admin.post('/_faults', (req, res) => {
    const input = parseInput(ruleSchema, req.body);
    const keys: string[] = [];
    const source = input.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    const rule: Rule = { ...input, id: nextId++, pattern: new RegExp(`^${source}/?$`), keys, hits: 0 };
    rules.push(rule);
    res.status(201).json({ id: rule.id });
  });
  admin.get('/_faults', (_req, res) => {
    res.json(rules.map(({ pattern: _p, keys: _k, ...rule }) => rule));
  });
  admin.delete('/_faults', (_req, res) => {
    rules = [];
    res.status(204).end();
  });

  const middleware: RequestHandler = (req, res, next) => {
    const rule = rules.find(
      (r) => r.method === req.method && r.hits < r.times && matches(r, req.path, req.body),
    );
    if (!rule) {
      next();
      return;
    }
    rule.hits++;
    const act = () => {
      if (rule.status === undefined) next();
      else
        sendProblem(res, {
          type: `urn:problem:${(rule.code ?? 'injected-fault').toLowerCase()}`,
          title: 'Injected fault',
          status: rule.status,
          detail: rule.detail,
          ...(rule.code === null ? {} : { code: rule.code }),
        });
    };
    if (rule.delayMs > 0) setTimeout(act, rule.delayMs);
    else act();
  };

  return { admin, middleware };
}

function matches(rule: Rule, path: string, body: unknown): boolean {
  const found = rule.pattern.exec(path);
  if (!found) return false;
  const values: Record<string, unknown> = { ...(typeof body === 'object' && body !== null ? body : {}) };
  rule.keys.forEach((key, i) => (values[key] = decodeURIComponent(found[i + 1] ?? '')));
  return Object.entries(rule.match).every(([key, expected]) => values[key] === expected);
}
