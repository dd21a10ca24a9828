// Configuration is parsed once, at start-up, from env with a zod schema; a bad value stops the
// process with a message naming every offending variable instead of failing later at use.
//
// Fail closed: development defaults (public secrets, the demo catalogue, a dummy Stripe key)
// apply only when NODE_ENV=development or NODE_ENV=test is set explicitly. An unset NODE_ENV
// means production, where a missing secret stops the process and a development value is refused.
import { z } from 'zod';
import {
  plaintextPolicySchema,
  plaintextRefusals,
  type Dependency,
  type Link,
} from './transport/plaintext-policy';

/** The internal service token every service accepts in development; refused in production. */
export const DEV_INTERNAL_API_TOKEN = 'local-internal-token-change-me';

export type NodeEnv = 'development' | 'test' | 'production';

export interface DevelopmentDefaults {
  /** Values used for variables left unset, only when NODE_ENV is development or test. */
  values: Record<string, string>;
  /** Of those, the ones that are public secrets: refused outside development even when set. */
  secrets?: readonly string[];
}

export const isDevelopment = (env: NodeJS.ProcessEnv | { NODE_ENV?: string }): boolean =>
  env.NODE_ENV === 'development' || env.NODE_ENV === 'test';

export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  development: DevelopmentDefaults = { values: {} },
  /** The connections the process makes: plain-text ones are refused in production (ALLOW_PLAINTEXT). */
  links?: (config: z.infer<S>) => Link[],
): z.infer<S> {
  const developing = isDevelopment(env);
  const source: NodeJS.ProcessEnv = developing ? { ...development.values, ...env } : env;
  const problems: string[] = [];
  if (!developing) {
    for (const key of development.secrets ?? []) {
      if (env[key] !== undefined && env[key] === development.values[key])
        problems.push(`  ${key}: is the public development value; set a secret of your own`);
    }
  }
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || '(root)';
      const hint =
        !developing && key in development.values && env[key] === undefined
          ? ' (required outside development: set it, or set NODE_ENV=development to use the development value)'
          : '';
      problems.push(`  ${key}: ${issue.message}${hint}`);
    }
  }
  if (parsed.success && links && !developing) {
    const data = parsed.data as { ALLOW_PLAINTEXT?: Dependency[] };
    try {
      problems.push(...plaintextRefusals(links(parsed.data), data.ALLOW_PLAINTEXT ?? []));
    } catch (err) {
      // A link that cannot even be described (an unreadable CA file, half an mTLS pair).
      problems.push(`  ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) {
    const mode = env.NODE_ENV === undefined ? 'production (NODE_ENV unset)' : env.NODE_ENV;
    throw new Error(`invalid configuration for ${mode}:\n${problems.join('\n')}`);
  }
  return (parsed as { data: z.infer<S> }).data;
}

/** Fields most services share; each service extends this with its own. */
export const baseConfigSchema = z.object({
  // Unset is production: the safe choice must not depend on remembering to set a variable.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  ...plaintextPolicySchema.shape,
});

/** The token services present to each other on internal routes (at least 16 characters). */
export const internalApiToken = z
  .string({ error: 'required: the internal service token' })
  .min(16, 'must be at least 16 characters');

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const milliseconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
