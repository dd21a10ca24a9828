#!/usr/bin/env -S npx tsx
// `npm run stack -- up|down|status|logs [part]|env [--k8s]`: the real infrastructure, no Docker.
// `--k8s` adds the Kubernetes profile (etcd, kube-apiserver, kube-controller-manager,
// Prometheus, prometheus-adapter); `down` stops it whether or not the flag is given.
import { existsSync } from 'node:fs';
import { loadStackConfig } from './config';
import type { Component } from './components/component';
import { kubePaths } from './kube/setup';
import { assertPortsFree, components, kubeComponents, stackEnv, writeEnvFile } from './stack';
import { logTail } from './processes';
import { ensureChromium } from './browser';

const config = loadStackConfig();
const args = process.argv.slice(2);
// The profile is on when asked for, or when a previous `up --k8s` made its files (status, env).
const kube = args.includes('--k8s') || existsSync(kubePaths(config).kubeconfig);
const base = components(config);
const kubeParts = kube ? kubeComponents(config) : [];
const parts = [...base, ...kubeParts];
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

async function up(): Promise<void> {
  const t0 = Date.now();
  console.log(`stack: ${config.dir} (tools cached in ${config.cacheDir})`);
  await Promise.all(parts.map((p) => p.install()));
  // After the parts: apt must not run twice at once (PostgreSQL may be installing too).
  await ensureChromium();
  console.log(`stack: tools ready in ${seconds(t0)}`);
  const t1 = Date.now();
  await Promise.all(base.map(startIfNeeded));
  for (const part of kubeParts) await startIfNeeded(part);
  const env = writeEnvFile(config, { kube });
  console.log(`stack: all parts healthy in ${seconds(t1)} (total ${seconds(t0)})`);
  await printStatus(parts);
  console.log(`\nenv file: ${env}`);
}

async function startIfNeeded(part: Component): Promise<void> {
  const t = Date.now();
  const pid = await part.running();
  if (pid === undefined) {
    await assertPortsFree(config, part.name);
    await part.start();
    console.log(`  ${part.name}: started`);
  } else {
    console.log(`  ${part.name}: already running (pid ${pid})`);
  }
  await part.ready(180_000);
  console.log(`  ${part.name}: healthy (${seconds(t)})`);
}

async function printStatus(list: Component[]): Promise<boolean> {
  let allUp = true;
  for (const part of list) {
    const pid = await part.running();
    if (pid === undefined) {
      allUp = false;
      console.log(`${part.name.padEnd(24)} stopped`);
      continue;
    }
    let version: string;
    try {
      await part.ready(5_000);
      version = await part.version();
    } catch (err) {
      allUp = false;
      version = `UNHEALTHY: ${(err as Error).message.split('\n')[0]}`;
    }
    const where = Object.entries(part.addresses())
      .map(([k, v]) => `${k}=${v}`)
      .join('  ');
    console.log(`${part.name.padEnd(24)} pid ${String(pid).padEnd(8)} ${version}\n${' '.repeat(25)}${where}`);
  }
  return allUp;
}

async function down(): Promise<void> {
  // Reverse start order: clients of a part go before the part.
  for (const part of [...base, ...kubeComponents(config)].reverse()) {
    const stopped = await part.stop();
    console.log(`${part.name.padEnd(24)} ${stopped ? 'stopped' : 'was not running'}`);
  }
}

function logs(name?: string): void {
  const chosen = name ? parts.filter((p) => p.name === name) : parts;
  if (chosen.length === 0)
    throw new Error(`unknown part "${name}"; parts: ${parts.map((p) => p.name).join(', ')}`);
  for (const part of chosen) {
    const file = part.logFile();
    console.log(existsSync(file) ? logTail(file, name ? 200 : 20) : `--- ${part.name}: no log yet (${file})`);
  }
}

async function main(): Promise<void> {
  const [command = 'status', arg] = args.filter((a) => a !== '--k8s');
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status': {
      await Promise.all(parts.map((p) => p.install())); // cached: only locates the binaries
      const ok = await printStatus(parts);
      process.exitCode = ok ? 0 : 1;
      return;
    }
    case 'logs':
      return logs(arg);
    case 'env':
      for (const [k, v] of Object.entries(stackEnv(config, { kube }))) console.log(`${k}=${v}`);
      return;
    default:
      throw new Error(`unknown command "${command}"; use up | down | status | logs [part] | env`);
  }
}

main().catch((err: unknown) => {
  console.error(`stack: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
