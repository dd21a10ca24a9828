import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { stackVar, uniqueId } from './env';

test('a message produced with kafkajs is consumed by a consumer group', async () => {
  const kafka = new Kafka({
    clientId: 'smoke',
    brokers: stackVar('KAFKA_BROKERS').split(','),
    logLevel: logLevel.WARN,
  });
  const topic = uniqueId('smoke.topic');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({
    topic,
    messages: [{ key: 'order-1', value: JSON.stringify({ n: 1 }), headers: { type: 'Smoke' } }],
  });
  await producer.disconnect();

  const groupId = uniqueId('smoke-group');
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string; type: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({
            key: String(message.key),
            value: String(message.value),
            type: String(message.headers?.type),
          });
        },
      });
    });
    assert.deepEqual(received, { key: 'order-1', value: '{"n":1}', type: 'Smoke' });
    await consumer.stop();
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets[0]?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    assert.equal(committed, 1, 'the consumer group committed its offset');
  } finally {
    await consumer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
