// Configuration is parsed once, at start-up, from env with a zod schema; a bad value stops the
// process with a message naming every offending variable instead of failing later at use.
import { z } from 'zod';

export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

/** Fields most services share; each service extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
});

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const milliseconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
