// How a process reaches Temporal: address and namespace, and for a cluster that is not on
// localhost, TLS with a CA of its own, a client certificate (mTLS, self-hosted or Temporal
// Cloud's certificate auth) or an API key (Temporal Cloud). One set of settings for the worker,
// the order service's client and the backlog exporter; the options fit both the client's
// Connection and the worker's NativeConnection.
import { z } from 'zod';
import { envFlag, optionalSetting, readPem } from './env';

export const temporalConnectionSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** TLS without anything else set uses the system's CAs (Temporal Cloud's endpoints). */
  TEMPORAL_TLS: envFlag(false),
  TEMPORAL_TLS_CA_FILE: optionalSetting,
  /** Client certificate and key (PEM) for mTLS; both or neither. */
  TEMPORAL_TLS_CERT_FILE: optionalSetting,
  TEMPORAL_TLS_KEY_FILE: optionalSetting,
  /** The name the server's certificate is checked against, when not the address's host. */
  TEMPORAL_TLS_SERVER_NAME: optionalSetting,
  /** Sent as `Authorization: Bearer …`; implies TLS. */
  TEMPORAL_API_KEY: optionalSetting,
});

export type TemporalConnectionConfig = z.infer<typeof temporalConnectionSchema>;

export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
    serverNameOverride?: string;
  };
  apiKey?: string;
}

/** Whether the connection is encrypted (for the production plain-text check). */
export const temporalUsesTls = (c: TemporalConnectionConfig): boolean =>
  c.TEMPORAL_TLS ||
  c.TEMPORAL_API_KEY !== undefined ||
  c.TEMPORAL_TLS_CERT_FILE !== undefined ||
  c.TEMPORAL_TLS_CA_FILE !== undefined;

export function temporalConnectionOptions(c: TemporalConnectionConfig): TemporalConnectionOptions {
  if ((c.TEMPORAL_TLS_CERT_FILE === undefined) !== (c.TEMPORAL_TLS_KEY_FILE === undefined)) {
    throw new Error('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE: set both (mTLS) or neither');
  }
  const options: TemporalConnectionOptions = { address: c.TEMPORAL_ADDRESS };
  if (c.TEMPORAL_API_KEY !== undefined) options.apiKey = c.TEMPORAL_API_KEY;
  if (!temporalUsesTls(c)) return options;
  options.tls = {
    ...(c.TEMPORAL_TLS_CA_FILE && {
      serverRootCACertificate: readPem('TEMPORAL_TLS_CA_FILE', c.TEMPORAL_TLS_CA_FILE),
    }),
    ...(c.TEMPORAL_TLS_CERT_FILE &&
      c.TEMPORAL_TLS_KEY_FILE && {
        clientCertPair: {
          crt: readPem('TEMPORAL_TLS_CERT_FILE', c.TEMPORAL_TLS_CERT_FILE),
          key: readPem('TEMPORAL_TLS_KEY_FILE', c.TEMPORAL_TLS_KEY_FILE),
        },
      }),
    ...(c.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME }),
  };
  return options;
}
