// Histories recorded from real saga runs (see RECORD_HISTORIES in test/e2e) are replayed
// against the current workflow code: a change that would break running sagas — a step added,
// removed or reordered without `patched` — fails here, before it reaches a worker.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('every recorded order saga history replays deterministically', async () => {
  assert.ok(files.length >= 17, `expected recorded histories in ${dir}`);
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(`${dir}${file}`, 'utf8'))),
  }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    {
      workflowsPath: fileURLToPath(new URL('../src/workflows/index.ts', import.meta.url)),
      replayName: 'order-saga-replay',
    },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  assert.deepEqual(failures, []);
});
