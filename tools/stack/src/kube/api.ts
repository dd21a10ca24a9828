// Talking to the stack's API server: plain GETs over mutual TLS for the things polled every
// second (a kubectl process per poll would cost more CPU than the saga workers it counts), and
// kubectl for everything that writes (apply, wait), as an operator would.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { Pki } from './pki';

export interface KubeApi {
  /** GET a path of the API; undefined for 404, an error naming the path for any other failure. */
  get<T>(path: string): Promise<T | undefined>;
}

export function kubeApi(server: string, pki: Pick<Pki, 'ca' | 'adminCert' | 'adminKey'>): KubeApi {
  const agent = new https.Agent({
    ca: readFileSync(pki.ca),
    cert: readFileSync(pki.adminCert),
    key: readFileSync(pki.adminKey),
    keepAlive: true,
  });
  return {
    get: <T>(path: string) =>
      new Promise<T | undefined>((resolve, reject) => {
        const req = https.get(new URL(path, server), { agent, timeout: 5_000 }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            if (res.statusCode === 404) return resolve(undefined);
            if (res.statusCode !== 200) {
              return reject(new Error(`GET ${path}: ${res.statusCode} ${body.slice(0, 300)}`));
            }
            try {
              resolve(JSON.parse(body) as T);
            } catch (err) {
              reject(new Error(`GET ${path}: not JSON`, { cause: err }));
            }
          });
        });
        req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 5 s`)));
        req.on('error', reject);
      }),
  };
}

/** Runs kubectl (or helm) with the stack's kubeconfig; rejects with its output on a non-zero exit. */
export function runKubeTool(
  binary: string,
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--kubeconfig', kubeconfig, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new Error(`cannot run ${binary}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(new Error(`${binary.split('/').pop()} ${args.join(' ')} exited ${code}:\n${stderr}${stdout}`));
    });
    child.stdin.end(input ?? '');
  });
}
