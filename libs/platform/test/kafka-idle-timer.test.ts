// kafkajs's idle request-queue loop (src/kafka-idle-timer-fix.ts), against the stack's broker:
// an idle client schedules no queue checks, and requests still go out after a pause and when
// they have to wait for an in-flight slot.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Producer } from 'kafkajs';
import { createKafka, createLogger } from '../src/index';
import { kafkaIdleTimerFixApplied } from '../src/kafka-idle-timer-fix';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const topic = `platform-idle-timer-${randomUUID()}`;
let producer: Producer;

before(async () => {
  if (brokers.length === 0) throw new Error('source the stack env first (KAFKA_BROKERS)');
  // One request in flight per connection, so a burst of sends has to queue.
  producer = createKafka('idle-timer-test', brokers, createLogger('idle-timer-test', 'silent')).producer({
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
  });
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'first' }] });
});

after(() => producer?.disconnect());

/** setTimeout calls made by kafkajs's request queue while `wait` runs. */
async function queueChecksDuring(wait: () => Promise<void>): Promise<number> {
  const original = globalThis.setTimeout;
  let checks = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    if (new Error().stack?.includes('scheduleCheckPendingRequests')) checks += 1;
    return original(...args);
  }) as typeof setTimeout;
  try {
    await wait();
  } finally {
    globalThis.setTimeout = original;
  }
  return checks;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('the fix is applied to the kafkajs this process loads', () => {
  assert.equal(kafkaIdleTimerFixApplied, true);
});

test('an idle client schedules no request-queue checks (unfixed: about one a millisecond)', async () => {
  const checks = await queueChecksDuring(() => sleep(500));
  assert.ok(checks <= 2, `${checks} request-queue checks scheduled in 500 ms of idleness`);
});

test('a send after a pause and a burst that waits for in-flight slots all go out', async () => {
  await sleep(200);
  await producer.send({ topic, messages: [{ value: 'after a pause' }] });
  const burst = Array.from({ length: 20 }, (_, i) =>
    producer.send({ topic, messages: [{ value: `burst ${i}` }] }),
  );
  const results = await Promise.all(burst);
  assert.equal(results.length, 20);
  for (const result of results) assert.equal(result[0]?.errorCode, 0);
});
