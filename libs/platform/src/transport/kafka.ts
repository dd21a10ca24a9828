// How a process reaches Kafka: the brokers, and for a managed cluster TLS (with a CA of its own,
// and a client certificate where the cluster authenticates by mTLS) and SASL (PLAIN or SCRAM).
// One set of settings for every producer and consumer.
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { envFlag, optionalSetting, readPem } from './env';

export const kafkaConnectionSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((v) =>
      v
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).min(1, 'at least one broker')),
  /** TLS without a CA file uses the system's CAs (most managed clusters). */
  KAFKA_TLS: envFlag(false),
  KAFKA_TLS_CA_FILE: optionalSetting,
  KAFKA_TLS_CERT_FILE: optionalSetting,
  KAFKA_TLS_KEY_FILE: optionalSetting,
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512', ''])
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  KAFKA_SASL_USERNAME: optionalSetting,
  KAFKA_SASL_PASSWORD: optionalSetting,
});

export type KafkaConnectionConfig = z.infer<typeof kafkaConnectionSchema>;

export interface KafkaConnection {
  brokers: string[];
  ssl?: ConnectionOptions;
  sasl?: SASLOptions;
}

export const kafkaUsesTls = (c: KafkaConnectionConfig): boolean =>
  c.KAFKA_TLS || c.KAFKA_TLS_CA_FILE !== undefined || c.KAFKA_TLS_CERT_FILE !== undefined;

export function kafkaConnection(c: KafkaConnectionConfig): KafkaConnection {
  const connection: KafkaConnection = { brokers: c.KAFKA_BROKERS };
  if ((c.KAFKA_TLS_CERT_FILE === undefined) !== (c.KAFKA_TLS_KEY_FILE === undefined)) {
    throw new Error('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE: set both (mTLS) or neither');
  }
  if (kafkaUsesTls(c)) {
    connection.ssl = {
      ...(c.KAFKA_TLS_CA_FILE && { ca: [readPem('KAFKA_TLS_CA_FILE', c.KAFKA_TLS_CA_FILE)] }),
      ...(c.KAFKA_TLS_CERT_FILE &&
        c.KAFKA_TLS_KEY_FILE && {
          cert: readPem('KAFKA_TLS_CERT_FILE', c.KAFKA_TLS_CERT_FILE),
          key: readPem('KAFKA_TLS_KEY_FILE', c.KAFKA_TLS_KEY_FILE),
        }),
    };
  }
  if (c.KAFKA_SASL_MECHANISM) {
    if (!c.KAFKA_SASL_USERNAME || !c.KAFKA_SASL_PASSWORD) {
      throw new Error(
        `KAFKA_SASL_MECHANISM=${c.KAFKA_SASL_MECHANISM}: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required`,
      );
    }
    const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = c;
    connection.sasl =
      c.KAFKA_SASL_MECHANISM === 'plain'
        ? { mechanism: 'plain', username, password }
        : c.KAFKA_SASL_MECHANISM === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', username, password }
          : { mechanism: 'scram-sha-512', username, password };
  }
  return connection;
}
