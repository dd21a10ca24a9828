// The stateful Stripe emulator (tools/stripe-emulator): what saga tests and `npm start` point
// the payment service at, since stripe-mock keeps no state. Nothing to install: it runs from
// the work tree through tsx.
import path from 'node:path';
import type { StackConfig } from '../config';
import { REPO_ROOT } from '../repo-root';
import { runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import type { Component } from './component';

export function stripeEmulator(config: StackConfig): Component {
  const name = 'stripe-emulator';
  const url = `http://127.0.0.1:${config.ports.stripeEmulator}`;
  const probe = async () => {
    const res = await fetch(`${url}/healthz`);
    if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}`);
  };
  return {
    name,
    install: async () => undefined,
    running: async () => runningPid(config.runDir, name),
    async start() {
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: process.execPath,
        args: ['--import', 'tsx', path.join(REPO_ROOT, 'tools/stripe-emulator/src/main.ts')],
        cwd: REPO_ROOT,
        env: { PORT: String(config.ports.stripeEmulator) },
      });
    },
    async ready(timeoutMs) {
      await waitUntil('stripe-emulator', probe, {
        timeoutMs,
        logFile: this.logFile(),
        pid: await this.running(),
      });
    },
    stop: () => stopByPidFile(config.runDir, name),
    addresses: () => ({ api: url }),
    version: async () => 'stripe-emulator (local)',
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
