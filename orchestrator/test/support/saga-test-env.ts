// The real Temporal server and a bundled saga for workflow tests with recording activities:
// one bundle per test file (webpack is the slow part of creating a worker), a worker per saga.
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { orderWorkflowId, type OrderSagaInput } from '../../src/shared';
import { orderSaga } from '../../src/workflows';
import { fakeActivities, type FakeActivityOptions } from './fake-activities';
import { sagaInput } from './saga-input';

export interface SagaTestEnv {
  client(): Client;
  /** Starts one saga on a worker of its own and runs `fn` while that worker runs. */
  withSaga<T>(
    options: FakeActivityOptions,
    fn: (
      handle: WorkflowHandleWithFirstExecutionRunId<typeof orderSaga>,
      fake: ReturnType<typeof fakeActivities>,
    ) => Promise<T>,
    order?: OrderSagaInput,
  ): Promise<T>;
}

/** Registers the file's before/after hooks; call at module level. */
export function sagaTestEnv(): SagaTestEnv {
  const address = process.env.TEMPORAL_ADDRESS;
  let connection: Connection;
  let workerConnection: NativeConnection;
  let client: Client;
  let workflowBundle: WorkflowBundleWithSourceMap;

  before(async () => {
    if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run through `npm test`');
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../src/workflows/index.ts', import.meta.url)),
    });
    connection = await Connection.connect({ address });
    workerConnection = await NativeConnection.connect({ address });
    client = new Client({ connection });
  });
  after(async () => {
    await connection.close();
    await workerConnection.close();
  });

  return {
    client: () => client,
    async withSaga(options, fn, order = sagaInput()) {
      const taskQueue = `saga-test-${randomUUID()}`;
      const fake = fakeActivities(options);
      const worker = await Worker.create({
        connection: workerConnection,
        taskQueue,
        workflowBundle,
        activities: fake.activities,
      });
      return worker.runUntil(async () => {
        const handle = await client.workflow.start(orderSaga, {
          taskQueue,
          workflowId: orderWorkflowId(order.orderId),
          args: [order],
        });
        return fn(handle, fake);
      });
    },
  };
}
