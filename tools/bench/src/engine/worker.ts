// The engine ceiling's worker, a child process like the saga worker: the same Temporal server,
// runtime and worker tuning (orchestrator/src/temporal-runtime.ts, from the same variables), on
// its own task queue. Prints "ready" once polling.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { z } from 'zod';
import {
  baseConfigSchema,
  createLogger,
  installSignalHandlers,
  loadConfig,
  onShutdown,
} from '@orders/platform';
import { installTemporalRuntime, workerTuning, workerTuningEnv } from '@orders/orchestrator/runtime';
import { createNoOpActivities } from './activities';

const config = loadConfig(
  baseConfigSchema.extend({
    TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().default('default'),
    BENCH_ENGINE_TASK_QUEUE: z.string().min(1),
    ...workerTuningEnv,
  }),
);
const logger = createLogger('bench-engine-worker', config.LOG_LEVEL);

installTemporalRuntime(logger);

const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.BENCH_ENGINE_TASK_QUEUE,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  activities: createNoOpActivities(),
  ...workerTuning(config),
});
onShutdown('connection', () => connection.close());
const running = worker.run();
onShutdown('worker', async () => {
  worker.shutdown();
  await running;
});
installSignalHandlers(logger);
process.stdout.write('ready\n');
await running;
