// The worker's tuning from env: the cache is capped by default, and workflow-task slots never
// exceed the cache (the SDK would otherwise lower them with a warning at start-up).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { workerTuning, workerTuningEnv } from '../src/temporal-runtime';

const parse = (env: Record<string, string>) => z.object(workerTuningEnv).parse(env);

test('defaults cap the workflow cache so a spike of long-lived sagas cannot exhaust the workflow heap', () => {
  const tuning = workerTuning(parse({}));
  assert.equal(tuning.maxCachedWorkflows, 500);
  assert.equal(tuning.maxConcurrentWorkflowTaskExecutions, 40);
  assert.equal(tuning.maxConcurrentActivityTaskExecutions, 100);
});

test('workflow-task slots never exceed the cache; 0 disables the cache and keeps the slots', () => {
  assert.equal(
    workerTuning(parse({ WORKER_MAX_CACHED_WORKFLOWS: '10' })).maxConcurrentWorkflowTaskExecutions,
    10,
  );
  const uncached = workerTuning(parse({ WORKER_MAX_CACHED_WORKFLOWS: '0' }));
  assert.equal(uncached.maxCachedWorkflows, 0);
  assert.equal(uncached.maxConcurrentWorkflowTaskExecutions, 40);
});

test('a bad value is refused, not silently defaulted', () => {
  assert.throws(() => parse({ WORKER_MAX_CACHED_WORKFLOWS: '-1' }));
  assert.throws(() => parse({ WORKER_MAX_CONCURRENT_ACTIVITIES: 'many' }));
});
