// The local stack's own TLS material, made once per stack directory: a CA, a server certificate
// for 127.0.0.1/localhost (PostgreSQL with ssl=on, Kafka's SASL_SSL listener, the Temporal TLS
// endpoint, an SMTP relay with STARTTLS), and a client certificate for mTLS. Tests point the
// services' *_CA_FILE / *_CERT_FILE settings at these, as they would at a managed provider's.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { certificateMaker } from './certificates';

export interface StackTls {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: a client trusting only it must refuse every server. */
  otherCa: string;
}

export function stackTlsDir(stackDir: string): string {
  return path.join(stackDir, 'tls');
}

const made = new Map<string, Promise<StackTls>>();

export function ensureStackTls(stackDir: string): Promise<StackTls> {
  let tls = made.get(stackDir);
  if (!tls) made.set(stackDir, (tls = make(stackTlsDir(stackDir))));
  return tls;
}

async function make(dir: string): Promise<StackTls> {
  const f = (name: string) => path.join(dir, name);
  const tls: StackTls = {
    ca: f('ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
    otherCa: f('other-ca.crt'),
  };
  if (existsSync(f('.complete'))) return tls;
  const { ca, leaf } = certificateMaker(dir);
  await ca('ca', 'order-platform-stack-tls-ca');
  await ca('other-ca', 'order-platform-untrusted-ca');
  await leaf('server', 'ca', '/CN=localhost', 'serverAuth', ['DNS:localhost', 'IP:127.0.0.1']);
  await leaf('client', 'ca', '/CN=order-platform-client', 'clientAuth');
  writeFileSync(f('.complete'), new Date().toISOString());
  return tls;
}
