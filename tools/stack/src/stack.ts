// The local stack as a whole: the parts in start order, and the env file that tells
// services and tests where each part listens.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_INTERNAL_API_TOKEN } from '@orders/platform';
import { loadStackConfig, type StackConfig } from './config';
import type { Component } from './components/component';
import { kafka } from './components/kafka';
import { mailpit } from './components/mailpit';
import { postgres } from './components/postgres';
import { stripeEmulator } from './components/stripe-emulator';
import { stripeMock } from './components/stripe-mock';
import { temporal } from './components/temporal';
import { portInUse } from './processes';
import { stackTlsDir } from './tls';
import { etcd, kubeApiserver, kubeControllerManager } from './kube/control-plane';
import { kubePaths } from './kube/setup';
import { prometheus, prometheusAdapter, prometheusTargetsDir } from './kube/metrics-pipeline';

export function components(config: StackConfig): Component[] {
  return [
    postgres(config),
    temporal(config),
    kafka(config),
    stripeMock(config),
    stripeEmulator(config),
    mailpit(config),
  ];
}

/**
 * The opt-in Kubernetes profile (`up --k8s`), in start order: each needs the one before it
 * (the adapter registers itself with the API server the controller manager works against).
 */
export function kubeComponents(config: StackConfig): Component[] {
  return [
    etcd(config),
    kubeApiserver(config),
    kubeControllerManager(config),
    prometheus(config),
    prometheusAdapter(config),
  ];
}

/** Ports a part needs free before it may start; a busy one means someone else's process. */
export function portsOf(config: StackConfig, name: string): number[] {
  const p = config.ports;
  const byName: Record<string, number[]> = {
    postgres: [p.postgres],
    temporal: [p.temporal, p.temporalUi],
    kafka: [p.kafka, p.kafkaController, p.kafkaSasl],
    'stripe-mock': [p.stripeMock],
    'stripe-emulator': [p.stripeEmulator],
    mailpit: [p.smtp, p.mailpit],
    etcd: [p.etcd, p.etcdPeer],
    'kube-apiserver': [p.kubeApiserver],
    prometheus: [p.prometheus],
    'prometheus-adapter': [p.prometheusAdapter],
  };
  return byName[name] ?? [];
}

export async function assertPortsFree(config: StackConfig, name: string): Promise<void> {
  for (const port of portsOf(config, name)) {
    if (await portInUse(port)) {
      throw new Error(
        `${name}: port ${port} is already in use by a process this stack did not start; stop it or choose other ports (see STACK_* variables in README)`,
      );
    }
  }
}

/** Variables services and tests read; `scripts/*.sh` source this file. */
export function stackEnv(config: StackConfig, opts: { kube?: boolean } = {}): Record<string, string> {
  return { ...baseEnv(config), ...(opts.kube ? kubeEnv(config) : {}) };
}

/** Where the Kubernetes profile's parts are: for kubectl, helm and the control-plane test. */
export function kubeEnv(config: StackConfig): Record<string, string> {
  const paths = kubePaths(config);
  return {
    KUBECONFIG: paths.kubeconfig,
    KUBE_APISERVER_URL: paths.server,
    KUBE_PKI_DIR: paths.pkiDir,
    PROMETHEUS_URL: `http://127.0.0.1:${config.ports.prometheus}`,
    PROMETHEUS_TARGETS_DIR: prometheusTargetsDir(config),
    KUBE_HPA_SYNC_SECONDS: String(config.hpaSyncSeconds),
  };
}

function baseEnv(config: StackConfig): Record<string, string> {
  const p = config.ports;
  const pg = (db: string) => `postgres://app@127.0.0.1:${p.postgres}/${db}`;
  return {
    TEMPORAL_ADDRESS: `127.0.0.1:${p.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_UI_URL: `http://127.0.0.1:${p.temporalUi}`,
    KAFKA_BROKERS: `127.0.0.1:${p.kafka}`,
    // The same broker's SASL_SSL listener and the stack's TLS material (transport tests).
    KAFKA_SASL_SSL_BROKERS: `127.0.0.1:${p.kafkaSasl}`,
    STACK_TLS_DIR: stackTlsDir(config.dir),
    POSTGRES_URL: pg('postgres'),
    ORDERS_DATABASE_URL: pg('orders'),
    INVENTORY_DATABASE_URL: pg('inventory'),
    PAYMENTS_DATABASE_URL: pg('payments'),
    NOTIFICATIONS_DATABASE_URL: pg('notifications'),
    STRIPE_MOCK_URL: `http://127.0.0.1:${p.stripeMock}`,
    STRIPE_EMULATOR_URL: `http://127.0.0.1:${p.stripeEmulator}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(p.smtp),
    MAILPIT_URL: `http://127.0.0.1:${p.mailpit}`,
    // The development token the apps use (NODE_ENV=development) and tests present to them.
    INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN,
  };
}

export function writeEnvFile(config: StackConfig, opts: { kube?: boolean } = {}): string {
  mkdirSync(config.dir, { recursive: true });
  const file = path.join(config.dir, 'stack.env');
  const lines = Object.entries(stackEnv(config, opts)).map(([k, v]) => `${k}=${v}`);
  writeFileSync(
    file,
    `# written by \`npm run stack up\`; source it to reach this stack\n${lines.join('\n')}\n`,
  );
  return file;
}

/** The stack variables present in `env` (tests get them from the sourced env file). */
export function pickStackEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keys = [...Object.keys(stackEnv(loadStackConfig(env), { kube: true })), 'STRIPE_EMULATOR_URL'];
  return Object.fromEntries(keys.flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
}

export function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
