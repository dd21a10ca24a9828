// mailpit: an SMTP catcher with a web page and a REST API to read what was sent.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { StackConfig } from '../config';
import { ensureMailpitWithUi } from '../mailpit-build';
import { runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import type { Component } from './component';

export function mailpit(config: StackConfig): Component {
  const name = 'mailpit';
  const web = `http://127.0.0.1:${config.ports.mailpit}`;
  let binary = '';
  const info = async () => {
    const res = await fetch(`${web}/api/v1/info`);
    if (!res.ok) throw new Error(`GET /api/v1/info answered ${res.status}`);
    return (await res.json()) as { Version?: string };
  };
  return {
    name,
    async install() {
      binary = await ensureMailpitWithUi(config.cacheDir, config.versions.mailpit);
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      const dataDir = path.join(config.dataDir, 'mailpit');
      mkdirSync(dataDir, { recursive: true });
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: binary,
        args: [
          '--smtp',
          `127.0.0.1:${config.ports.smtp}`,
          '--listen',
          `127.0.0.1:${config.ports.mailpit}`,
          '--database',
          path.join(dataDir, 'mailpit.db'),
          '--max',
          '100000',
          '--disable-version-check',
          '--quiet',
        ],
      });
    },
    async ready(timeoutMs) {
      await waitUntil('mailpit', info, { timeoutMs, logFile: this.logFile(), pid: await this.running() });
      // The web page is blank without its script (a build without the npm step): fail loudly.
      const page = await fetch(`${web}/dist/app.js`, { method: 'HEAD' });
      if (!page.ok)
        throw new Error(
          `mailpit's web page has no /dist/app.js (${page.status}): ${binary || 'the binary'} was built without its web assets; delete it from the tool cache to rebuild`,
        );
    },
    stop: () => stopByPidFile(config.runDir, name),
    addresses: () => ({ smtp: `127.0.0.1:${config.ports.smtp}`, web }),
    async version() {
      const reported = (await info()).Version ?? '';
      return `mailpit ${/^v?\d/.test(reported) ? reported : config.versions.mailpit}`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
