// In production a connection to Temporal, Kafka, PostgreSQL or SMTP without TLS stops the
// process at start-up, unless ALLOW_PLAINTEXT names that dependency: a mesh or a private link
// may already encrypt it, but that is a decision someone writes down, not a default that leaks
// card-payment metadata and customer e-mail over a network by forgetting a setting.
import { z } from 'zod';
import { kafkaUsesTls, type KafkaConnectionConfig } from './kafka';
import { postgresUsesTls } from './postgres';
import { temporalUsesTls, type TemporalConnectionConfig } from './temporal';

export const DEPENDENCIES = ['temporal', 'kafka', 'postgres', 'smtp'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export const plaintextPolicySchema = z.object({
  /** Comma-separated dependencies allowed without TLS in production, e.g. `kafka,smtp`. */
  ALLOW_PLAINTEXT: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(DEPENDENCIES, { error: `must list only ${DEPENDENCIES.join(', ')}` }))),
});

export interface Link {
  dependency: Dependency;
  /** What the process connects to, for the message (no credentials). */
  target: string;
  encrypted: boolean;
}

/** One line per plain-text link not allowed, naming the setting that would encrypt or allow it. */
export function plaintextRefusals(links: Link[], allowed: readonly Dependency[]): string[] {
  const refused = links.filter((l) => !l.encrypted && !allowed.includes(l.dependency));
  if (refused.length === 0) return [];
  const hints: Record<Dependency, string> = {
    temporal: 'TEMPORAL_TLS=true (with TEMPORAL_TLS_CA_FILE / _CERT_FILE / _KEY_FILE, or TEMPORAL_API_KEY)',
    kafka: 'KAFKA_TLS=true (and KAFKA_SASL_MECHANISM with its credentials)',
    postgres: 'sslmode=verify-full&sslrootcert=<CA file> in the database URL',
    smtp: 'SMTP_SECURE=true (TLS) or SMTP_REQUIRE_TLS=true (STARTTLS)',
  };
  const allow = [...new Set(refused.map((l) => l.dependency))].join(',');
  return refused.map(
    (l) =>
      `  ${l.dependency} (${l.target}): plain text is refused in production; set ${hints[l.dependency]}, ` +
      `or allow it explicitly with ALLOW_PLAINTEXT=${allow}`,
  );
}

/** A connection URL without its password, for messages; `unparseable` when it is not a URL. */
export function redactUrl(url: string, unparseable = '(unparseable URL)'): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return unparseable;
  }
}

export const temporalLink = (c: TemporalConnectionConfig): Link => ({
  dependency: 'temporal',
  target: c.TEMPORAL_ADDRESS,
  encrypted: temporalUsesTls(c),
});

export const kafkaLink = (c: KafkaConnectionConfig): Link => ({
  dependency: 'kafka',
  target: c.KAFKA_BROKERS.join(','),
  encrypted: kafkaUsesTls(c),
});

export const postgresLink = (databaseUrl: string): Link => ({
  dependency: 'postgres',
  target: redactUrl(databaseUrl),
  encrypted: postgresUsesTls(databaseUrl),
});
