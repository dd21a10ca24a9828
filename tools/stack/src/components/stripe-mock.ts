// stripe-mock: Stripe's official API mock, for checking that our SDK calls are well formed.
// It is stateless; the saga tests use the stateful emulator in services/payment.
import path from 'node:path';
import type { StackConfig } from '../config';
import { ensureGoBinary } from '../install';
import { execFileAsync, runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import type { Component } from './component';

export function stripeMock(config: StackConfig): Component {
  const name = 'stripe-mock';
  const url = `http://127.0.0.1:${config.ports.stripeMock}`;
  let binary = '';
  const probe = async () => {
    const res = await fetch(`${url}/v1/payment_intents?limit=1`, {
      headers: { authorization: 'Bearer sk_test_stack' },
    });
    if (!res.ok) throw new Error(`GET /v1/payment_intents answered ${res.status}`);
  };
  return {
    name,
    async install() {
      binary = await ensureGoBinary(
        config.cacheDir,
        'stripe-mock',
        'github.com/stripe/stripe-mock',
        config.versions.stripeMock,
      );
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: binary,
        // stripe-mock also opens HTTPS on :12112 unless given an address; a system-chosen
        // loopback port keeps two stacks (dev and test) from colliding.
        args: ['-http-addr', `127.0.0.1:${config.ports.stripeMock}`, '-https-addr', '127.0.0.1:'],
      });
    },
    async ready(timeoutMs) {
      await waitUntil('stripe-mock', probe, {
        timeoutMs,
        logFile: this.logFile(),
        pid: await this.running(),
      });
    },
    stop: () => stopByPidFile(config.runDir, name),
    addresses: () => ({ api: url }),
    async version() {
      // A `go install`ed binary reports "master"; the module version we built is the truth.
      const { stdout, stderr } = await execFileAsync(binary, ['-version']);
      const reported = (stdout || stderr).trim().replace(/^stripe-mock\s*/, '');
      return `stripe-mock ${/^v?\d/.test(reported) ? reported : config.versions.stripeMock}`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
