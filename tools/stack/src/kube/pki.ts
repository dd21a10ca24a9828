// The control plane's certificates, made once per stack directory with openssl (P-256 keys):
// a cluster CA signing the API server's serving certificate and the admin client certificate
// (group system:masters), the adapter's serving certificate (checked by the API server against
// its Service name), a front-proxy CA and client for the aggregation layer, and the
// service-account signing key. Nothing here leaves the stack directory.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { certificateMaker } from '../certificates';
import { execFileAsync } from '../processes';

export interface Pki {
  dir: string;
  ca: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  adapterCert: string;
  adapterKey: string;
  frontProxyCa: string;
  frontProxyClientCert: string;
  frontProxyClientKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** Where the aggregated metrics API is served from: the API server verifies the adapter against it. */
export const ADAPTER_SERVICE = { namespace: 'monitoring', name: 'prometheus-adapter' } as const;

export async function ensurePki(dir: string): Promise<Pki> {
  const f = (name: string) => path.join(dir, name);
  const pki: Pki = {
    dir,
    ca: f('ca.crt'),
    apiserverCert: f('apiserver.crt'),
    apiserverKey: f('apiserver.key'),
    adminCert: f('admin.crt'),
    adminKey: f('admin.key'),
    adapterCert: f('adapter.crt'),
    adapterKey: f('adapter.key'),
    frontProxyCa: f('front-proxy-ca.crt'),
    frontProxyClientCert: f('front-proxy-client.crt'),
    frontProxyClientKey: f('front-proxy-client.key'),
    serviceAccountKey: f('sa.key'),
    serviceAccountPub: f('sa.pub'),
  };
  if (existsSync(f('.complete'))) return pki;
  const { ca, leaf } = certificateMaker(dir);
  await ca('ca', 'order-platform-stack-ca');
  await ca('front-proxy-ca', 'order-platform-stack-front-proxy-ca');
  await leaf('apiserver', 'ca', '/CN=kube-apiserver', 'serverAuth', [
    'IP:127.0.0.1',
    'IP:10.96.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ]);
  const svc = `${ADAPTER_SERVICE.name}.${ADAPTER_SERVICE.namespace}.svc`;
  await leaf('adapter', 'ca', `/CN=${svc}`, 'serverAuth', [`DNS:${svc}`, 'DNS:localhost', 'IP:127.0.0.1']);
  await leaf('admin', 'ca', '/O=system:masters/CN=stack-admin', 'clientAuth');
  await leaf('front-proxy-client', 'front-proxy-ca', '/CN=front-proxy-client', 'clientAuth');
  await execFileAsync('openssl', [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-out',
    pki.serviceAccountKey,
  ]);
  await execFileAsync('openssl', [
    'pkey',
    '-in',
    pki.serviceAccountKey,
    '-pubout',
    '-out',
    pki.serviceAccountPub,
  ]);
  writeFileSync(f('.complete'), new Date().toISOString());
  return pki;
}

/** A kubeconfig for the admin identity, by file paths (kubectl, helm, the controller manager). */
export function writeKubeconfig(file: string, pki: Pki, server: string): void {
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
  - name: stack
    cluster: { server: '${server}', certificate-authority: '${pki.ca}' }
users:
  - name: stack-admin
    user: { client-certificate: '${pki.adminCert}', client-key: '${pki.adminKey}' }
contexts:
  - name: stack
    context: { cluster: stack, user: stack-admin, namespace: default }
current-context: stack
`,
  );
}
