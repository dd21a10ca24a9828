// Temporal CLI dev server (a real Temporal server with SQLite persistence and the Web UI),
// built from its Go module. Tags after v1.5.1 carry a `replace` directive and cannot be
// `go install`ed, hence the pinned default.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import type { StackConfig } from '../config';
import { ensureGoBinary } from '../install';
import { runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import type { Component } from './component';

export function temporal(config: StackConfig): Component {
  const name = 'temporal';
  const address = `127.0.0.1:${config.ports.temporal}`;
  let binary = '';

  async function describe() {
    const connection = await Connection.connect({ address, connectTimeout: 2_000 });
    try {
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return await connection.workflowService.getSystemInfo({});
    } finally {
      await connection.close();
    }
  }

  return {
    name,
    async install() {
      binary = await ensureGoBinary(
        config.cacheDir,
        'temporal',
        'github.com/temporalio/cli/cmd/temporal',
        config.versions.temporalCli,
      );
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      const dataDir = path.join(config.dataDir, 'temporal');
      mkdirSync(dataDir, { recursive: true });
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        // Below the services: the engine's backlog must not take the API's share of the CPU.
        niceness: config.engineNiceness,
        // Go's collector runs when the heap doubles (GOGC=100); the dev server allocates hard per
        // task and has the box's memory to itself, so it collects at 5x instead: at saturation,
        // with the worker's larger young generation (apps.ts), CPU per saga 340 -> 320 ms and
        // sagas/s 5.3 -> 5.8 (loadtest/BENCHMARKS.md, fourth round). GOGC from the shell wins.
        env: { GOGC: process.env.GOGC ?? '400' },
        command: binary,
        args: [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(config.ports.temporal),
          '--ui-port',
          String(config.ports.temporalUi),
          '--db-filename',
          path.join(dataDir, 'temporal.db'),
          // WAL with normal sync roughly triples throughput over SQLite's defaults (STACK-NOTES).
          '--sqlite-pragma',
          'journal_mode=wal',
          '--sqlite-pragma',
          'synchronous=normal',
          // Eager activity dispatch: the activity a workflow task schedules comes back in the
          // answer to that task's completion, skipping a matching round trip (the SDK asks for it
          // by default; the server's flag is off by default). Measured in loadtest/BENCHMARKS.md.
          '--dynamic-config-value',
          'system.enableActivityEagerExecution=true',
          // The dev server has one history shard, whose transfer queue (each workflow task after
          // an activity completes, each start) is read at most 20 times a second by default:
          // every saga step waited up to 50 ms for the next read. Measured in BENCHMARKS.md.
          '--dynamic-config-value',
          'history.transferProcessorMaxPollRPS=1000',
          ...config.temporalDynamicConfig.flatMap((setting) => ['--dynamic-config-value', setting]),
          // The saga upserts it so the workflow list filters by business status (README).
          '--search-attribute',
          'OrderStatus=Keyword',
          '--namespace',
          'default',
          '--log-level',
          'warn',
        ],
      });
    },
    async ready(timeoutMs) {
      await waitUntil('Temporal', describe, {
        timeoutMs,
        logFile: this.logFile(),
        pid: await this.running(),
      });
    },
    stop: () => stopByPidFile(config.runDir, name),
    addresses: () => ({ grpc: address, ui: `http://127.0.0.1:${config.ports.temporalUi}` }),
    async version() {
      const info = await describe();
      return `Temporal Server ${info.serverVersion ?? 'unknown'} (CLI ${config.versions.temporalCli})`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
