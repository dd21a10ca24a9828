import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './fixtures/smoke-activities';
import { smokeWorkflow } from './fixtures/smoke-workflows';
import { stackVar, uniqueId } from './env';

test('a workflow runs on a real worker against the Temporal dev server and its result is read back', async () => {
  const address = stackVar('TEMPORAL_ADDRESS');
  const taskQueue = uniqueId('smoke');
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./fixtures/smoke-workflows.ts', import.meta.url)),
    activities,
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    const workflowId = uniqueId('smoke-wf');
    const result = await worker.runUntil(
      client.workflow.execute(smokeWorkflow, { taskQueue, workflowId, args: ['shopper'] }),
    );
    assert.equal(result, 'hello shopper, attempt 1 (from a workflow)');
    const described = await client.workflow.getHandle(workflowId).describe();
    assert.equal(described.status.name, 'COMPLETED');
  } finally {
    await connection.close();
    await workerConnection.close();
  }
});
