// The run's system: the stack brought up as the bench does (idempotent `stack up`), the four
// services and the worker on free ports, their own task queue, topic and consumer group, with
// pid files in the run's folder; fault injection on and a short refund window, so completed
// orders close during the run. Then the run's catalogue and its stock baseline file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { upsertCatalogue } from '@orders/bench/setup';
import { ensureStack } from '@orders/bench/system';
import type { StackConfig } from '@orders/stack/config';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';
import type { Product } from './mix';

export interface ChaosSystem {
  config: StackConfig;
  env: Record<string, string>;
  system: RunningSystem;
  topic: string;
  pidDir: string;
  logDir: string;
  /** Stops the apps; deletes the run's topics unless kept. */
  stop(keepTopics: boolean): Promise<void>;
}

export async function startChaosSystem(opts: {
  runId: string;
  refundWindowSeconds: number;
  log: (message: string) => void;
}): Promise<ChaosSystem> {
  const { config, env } = await ensureStack();
  const topic = `chaos.orders.events.${opts.runId}`;
  const kafka = new Kafka({
    clientId: `chaos-${opts.runId}`,
    brokers: (env.KAFKA_BROKERS ?? '').split(','),
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
  const pidDir = path.join(config.runDir, `chaos-${opts.runId}`);
  const logDir = path.join(config.logDir, `chaos-${opts.runId}`);
  opts.log(`starting the services and the worker (logs in ${logDir}, pid files in ${pidDir})`);
  const system = await startSystem({
    stackEnv: env,
    logDir,
    pidDir,
    ports: await freePorts(),
    taskQueue: `chaos-${opts.runId}`,
    eventsTopic: topic,
    consumerGroup: `chaos-notification-${opts.runId}`,
    faultInjection: true,
    logLevel: 'warn',
    extraEnv: {
      order: {
        REFUND_WINDOW_SECONDS: String(opts.refundWindowSeconds),
        // The run's shoppers are few and busy; the per-customer limit protects the real API.
        PLACEMENT_RATE_LIMIT_PER_MINUTE: '1000000',
      },
    },
  });
  return {
    config,
    env,
    system,
    topic,
    pidDir,
    logDir,
    async stop(keepTopics) {
      await system.stop();
      if (keepTopics) return;
      // Kafka may be the part that was down when a run was torn down: never hang on it.
      const cleanup = kafka.admin();
      await Promise.race([
        (async () => {
          await cleanup.connect();
          await cleanup.deleteTopics({ topics: [topic, `${topic}.dlq`] });
        })().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 15_000)),
      ]);
      await cleanup.disconnect().catch(() => undefined);
    },
  };
}

/** Upserts the catalogue, reads each SKU's stock back, and writes the audit's baseline file. */
export async function seedCatalogue(opts: {
  inventoryUrl: string;
  internalApiToken: string;
  catalogue: Product[];
  file: string;
}): Promise<Record<string, number>> {
  await upsertCatalogue(opts.inventoryUrl, opts.internalApiToken, opts.catalogue);
  const baseline: Record<string, number> = {};
  for (const { sku } of opts.catalogue) {
    const res = await fetch(`${opts.inventoryUrl}/v1/products/${encodeURIComponent(sku)}`, {
      headers: { authorization: `Bearer ${opts.internalApiToken}` },
    });
    if (!res.ok) throw new Error(`GET /v1/products/${sku} answered ${res.status}: ${await res.text()}`);
    baseline[sku] = ((await res.json()) as { onHand: number }).onHand;
  }
  mkdirSync(path.dirname(opts.file), { recursive: true });
  writeFileSync(opts.file, `${JSON.stringify(baseline, null, 2)}\n`);
  return baseline;
}
