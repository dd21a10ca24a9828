// Certificates for the local stack, made with openssl (P-256 keys): a CA, and leaves it signs
// with exactly the extensions given (a config with no defaults, so nothing else slips in).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileAsync } from './processes';

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface CertificateMaker {
  /** `<name>.crt` and `<name>.key`: a CA. */
  ca: (name: string, commonName: string) => Promise<void>;
  /** `<name>.crt` and `<name>.key` signed by `<signer>`; usage: serverAuth, clientAuth or both. */
  leaf: (name: string, signer: string, subject: string, usage: string, sans?: string[]) => Promise<void>;
}

export function certificateMaker(dir: string): CertificateMaker {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => path.join(dir, name);
  const config = f('openssl.cnf');
  writeFileSync(config, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n');
  const req = (args: string[]) =>
    execFileAsync('openssl', ['req', '-config', config, '-x509', ...EC, ...args]);
  return {
    ca: async (name, commonName) => {
      await req([
        ...['-keyout', f(`${name}.key`), '-out', f(`${name}.crt`), '-days', '3650'],
        ...['-subj', `/CN=${commonName}`],
        ...[
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
        ],
      ]);
    },
    leaf: async (name, signer, subject, usage, sans) => {
      await req([
        ...['-keyout', f(`${name}.key`), '-out', f(`${name}.crt`)],
        ...['-CA', f(`${signer}.crt`), '-CAkey', f(`${signer}.key`), '-days', '825', '-subj', subject],
        ...['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature'],
        ...['-addext', `extendedKeyUsage=${usage}`],
        ...(sans ? ['-addext', `subjectAltName=${sans.join(',')}`] : []),
      ]);
    },
  };
}
