// The backlog exporter as production runs it (NODE_ENV unset): against Temporal behind a TLS
// endpoint that requires a client certificate, from the TEMPORAL_TLS_* settings alone, it
// serves the task queue's backlog; pointed at the plain-text port it refuses to start, naming
// the setting, unless ALLOW_PLAINTEXT says so.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startNodeProcess, stopNodeProcess, waitReadyz } from '@orders/stack/child-process';
import { freePort } from '@orders/stack/free-port';
import { startTemporalTlsEndpoint, type TemporalTlsEndpoint } from '@orders/stack/temporal-tls-endpoint';
import { ensureStackTls, type StackTls } from '@orders/stack/tls';
import { loadStackConfig } from '@orders/stack/config';

const EXPORTER = fileURLToPath(new URL('../src/metrics/backlog-exporter.ts', import.meta.url));
const logs = mkdtempSync(path.join(tmpdir(), 'secured-temporal-'));
let tls: StackTls;
let endpoint: TemporalTlsEndpoint;

before(async () => {
  if (!process.env.TEMPORAL_ADDRESS)
    throw new Error('TEMPORAL_ADDRESS is not set: source the stack env first');
  tls = await ensureStackTls(loadStackConfig().dir);
  endpoint = await startTemporalTlsEndpoint({
    upstream: process.env.TEMPORAL_ADDRESS,
    ca: tls.ca,
    cert: tls.serverCert,
    key: tls.serverKey,
  });
});

after(() => endpoint?.close());

async function exporter(env: Record<string, string>) {
  const port = await freePort();
  const child = startNodeProcess({
    entry: EXPORTER,
    env: {
      NODE_ENV: 'production',
      ALLOW_PLAINTEXT: '',
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    logFile: path.join(logs, `exporter-${port}.log`),
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

test('in production, the exporter reaches Temporal with mTLS and serves the backlog', async () => {
  const taskQueue = `secured-${randomUUID().slice(0, 8)}`;
  const { child, url } = await exporter({
    TEMPORAL_ADDRESS: endpoint.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_TLS_CA_FILE: tls.ca,
    TEMPORAL_TLS_CERT_FILE: tls.clientCert,
    TEMPORAL_TLS_KEY_FILE: tls.clientKey,
  });
  try {
    await waitReadyz(child, url);
    const forwarded = endpoint.counts.forwarded;
    const text = await (await fetch(`${url}/metrics`)).text();
    assert.match(
      text,
      new RegExp(`orders_task_queue_backlog\\{task_queue="${taskQueue}",type="workflow"\\} 0`),
    );
    assert.ok(endpoint.counts.forwarded > forwarded, 'the scrape asked Temporal through the TLS endpoint');
  } finally {
    await stopNodeProcess(child);
  }
});

test('in production, a plain-text Temporal address stops the exporter unless explicitly allowed', async () => {
  const plain = {
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '',
    TEMPORAL_TASK_QUEUE: 'secured-plain',
  };
  const refused = await exporter(plain);
  await refused.child.exited;
  assert.notEqual(refused.child.child.exitCode, 0, 'it exited with an error');
  assert.match(
    readFileSync(refused.child.logFile, 'utf8'),
    /temporal \(127\.0\.0\.1:\d+\): plain text is refused in production; set TEMPORAL_TLS=true.*ALLOW_PLAINTEXT=temporal/,
  );
  const allowed = await exporter({ ...plain, ALLOW_PLAINTEXT: 'temporal' });
  try {
    await waitReadyz(allowed.child, allowed.url);
  } finally {
    await stopNodeProcess(allowed.child);
  }
});
