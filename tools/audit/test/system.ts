// The whole system for the audit's end-to-end test, started the way the orchestrator's e2e tests
// start it (startSystem on its own topic, task queue and consumer group), plus the few calls the
// test makes through the public API and to run the audit's CLI.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DEV_JWT_SECRET, createTokenService } from '@orders/order/auth';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';
import { REPO_ROOT } from '@orders/stack/repo-root';
import { pickStackEnv } from '@orders/stack/stack';
import type { AuditReport } from '../src/audit';

export { eventually } from '@orders/stack/testing';

const tokens = createTokenService({ secret: DEV_JWT_SECRET });

export function stackVar(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: source the stack env ($STACK_DIR/stack.env)`);
  return value;
}

export interface AuditTestSystem {
  system: RunningSystem;
  topic: string;
  /** Every customer of this run has an id starting with it. */
  customerPrefix: string;
  stop(): Promise<void>;
}

export async function startAuditSystem(): Promise<AuditTestSystem> {
  const suffix = randomUUID().slice(0, 8);
  const topic = `orders.events.audit.${suffix}`;
  const kafka = new Kafka({
    clientId: 'audit-e2e',
    brokers: stackVar('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const system = await startSystem({
    stackEnv: pickStackEnv(process.env),
    logDir: path.join(process.env.STACK_DIR ?? '.stack/test', 'logs', `e2e-audit-${suffix}`),
    ports: await freePorts(),
    taskQueue: `orders-audit-${suffix}`,
    eventsTopic: topic,
    consumerGroup: `notification-audit-${suffix}`,
    faultInjection: false,
    logLevel: 'warn',
    // Long enough for a support refund after completion.
    extraEnv: { order: { REFUND_WINDOW_SECONDS: '600' } },
  });
  return { system, topic, customerPrefix: `audit-${suffix}-`, stop: () => system.stop() };
}

async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export function api(t: AuditTestSystem) {
  const { urls } = t.system;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    async customer() {
      const id = `${t.customerPrefix}${randomUUID().slice(0, 8)}`;
      const email = `${id}@example.test`;
      return { id, email, token: await tokens.sign({ sub: id, role: 'customer', email }) };
    },
    support: () => tokens.sign({ sub: `agent-${randomUUID().slice(0, 6)}`, role: 'support' }),
    createProduct: (sku: string, onHand: number, unitPrice: number) =>
      call(
        'PUT',
        `${urls.inventory}/v1/products/${sku}`,
        { name: `Audit ${sku}`, currency: 'eur', onHand, unitPrice },
        bearer(t.system.internalApiToken),
      ),
    place: (token: string, items: { sku: string; quantity: number }[], paymentMethod = 'pm_card_visa') =>
      call<{ orderId: string; total: number }>(
        'POST',
        `${urls.order}/v1/orders`,
        { items, paymentMethod },
        { ...bearer(token), 'idempotency-key': randomUUID() },
      ),
    order: (token: string, orderId: string) =>
      call<{ status: string; refunded: number; total: number }>(
        'GET',
        `${urls.order}/v1/orders/${orderId}`,
        undefined,
        bearer(token),
      ),
    refund: (token: string, orderId: string, body: unknown) =>
      call<{ refundId?: string; code?: string }>('POST', `${urls.order}/v1/orders/${orderId}/refunds`, body, {
        ...bearer(token),
        'idempotency-key': randomUUID(),
      }),
  };
}

/** Runs `npm run audit` as an operator would: its exit status and its --json report. */
export function runAuditCli(
  args: string[],
): Promise<{ status: number; report: AuditReport | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'tools/audit/src/cli.ts'), '--json', ...args],
      { cwd: REPO_ROOT, env: process.env, maxBuffer: 50 * 1024 * 1024, timeout: 240_000 },
      (err, stdout, stderr) => {
        const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        let report: AuditReport | null = null;
        try {
          report = JSON.parse(stdout) as AuditReport;
        } catch {
          report = null;
        }
        resolve({ status, report, stderr });
      },
    );
  });
}
