// Liveness says the process can serve; readiness says its dependencies answer. Kubernetes
// restarts on the first and only routes traffic on the second, so they must differ.
import { Router } from 'express';

interface CheckResult {
  status: 'up' | 'down';
  error?: string;
}

export type ReadinessCheck = () => Promise<unknown>;

/** Served to anyone (the kubelet sends no credential), for every method: others get a 405. */
export const PROBE_PATHS: readonly string[] = ['/healthz', '/readyz'];

export function healthRouter(checks: Record<string, ReadinessCheck>, timeoutMs = 2_000): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          await withTimeout(check(), timeoutMs, name);
          return [name, { status: 'up' }];
        } catch (err) {
          return [name, { status: 'down', error: err instanceof Error ? err.message : String(err) }];
        }
      }),
    );
    const ready = results.every(([, r]) => r.status === 'up');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} check timed out after ${ms}ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
