// The worker's start-up check of the OrderStatus search attribute, on the real Temporal server:
// registered when missing, left alone when present, refused when it has another type.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { createLogger } from '@orders/platform';
import { ensureSearchAttributes } from '../src/search-attributes';

// A CommonJS module: its namespaces come through the default import.
const { IndexedValueType } = proto.temporal.api.enums.v1;
const logger = createLogger('search-attributes-test', 'silent');
let connection: Connection;

before(async () => {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run through `npm test`');
  connection = await Connection.connect({ address });
});
after(() => connection.close());

async function freshNamespace(): Promise<string> {
  const namespace = `sa-test-${randomUUID().slice(0, 8)}`;
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  return namespace;
}

const customAttributes = async (namespace: string) =>
  (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};

test('a namespace without OrderStatus gets it registered as Keyword; a second check is a no-op', async () => {
  const namespace = await freshNamespace();
  assert.equal((await customAttributes(namespace)).OrderStatus, undefined);
  await ensureSearchAttributes(connection, namespace, logger);
  assert.equal((await customAttributes(namespace)).OrderStatus, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
  await ensureSearchAttributes(connection, namespace, logger);
});

test('OrderStatus registered with another type stops the worker with a message naming it', async () => {
  const namespace = await freshNamespace();
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: { OrderStatus: IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
  });
  await assert.rejects(
    ensureSearchAttributes(connection, namespace, logger),
    /search attribute OrderStatus exists in namespace sa-test-\w+ with type INDEXED_VALUE_TYPE_TEXT, not Keyword/,
  );
});
