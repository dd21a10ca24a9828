// Every message of the events topic from the beginning up to the high-water marks read at the
// start, through a throwaway consumer group that commits nothing and is deleted afterwards.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type EachBatchPayload } from 'kafkajs';
import { parseOrderEvent } from '@orders/platform/events';
import type { TopicMessage } from '../model';
import { SourceError, reading } from './source-error';

export interface KafkaSource {
  brokers: string[];
  topic: string;
}

/** No new message for this long while some partition is short of its mark: give up. */
const STALL_MS = 30_000;

export async function readTopic(
  source: KafkaSource,
  progress: (line: string) => void = () => undefined,
): Promise<TopicMessage[]> {
  const kafka = new Kafka({
    clientId: 'orders-audit',
    brokers: source.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    retry: { retries: 4, initialRetryTime: 300 },
  });
  const admin = kafka.admin();
  await reading('kafka', `the brokers ${source.brokers.join(',')}`, () => admin.connect());
  const groupId = `orders-audit-${randomUUID()}`;
  try {
    const marks = await reading('kafka', `the offsets of topic ${source.topic}`, async () => {
      const topics = await admin.listTopics();
      if (!topics.includes(source.topic))
        throw new SourceError('kafka', `topic ${source.topic} does not exist`);
      return admin.fetchTopicOffsets(source.topic);
    });
    // The next offset each partition must reach; an empty partition is done at once.
    const left = new Map<number, bigint>();
    let total = 0n;
    for (const mark of marks) {
      if (BigInt(mark.high) > BigInt(mark.low)) left.set(mark.partition, BigInt(mark.high));
      total += BigInt(mark.high) - BigInt(mark.low);
    }
    const messages: TopicMessage[] = [];
    if (left.size === 0) return messages;
    progress(`kafka: reading ${total} messages of ${source.topic} (${marks.length} partitions)`);
    await reading('kafka', `topic ${source.topic}`, () =>
      consumeUntil(kafka, groupId, source.topic, left, messages, progress),
    );
    return messages;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

async function consumeUntil(
  kafka: Kafka,
  groupId: string,
  topic: string,
  left: Map<number, bigint>,
  messages: TopicMessage[],
  progress: (line: string) => void,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let lastProgress = Date.now();
    let reported = 0;
    const done = new Promise<void>((resolve, reject) => {
      const stall = setInterval(() => {
        if (Date.now() - lastProgress > STALL_MS) {
          clearInterval(stall);
          reject(
            new Error(
              `no progress for ${STALL_MS / 1000}s; partitions short of their mark: ${[...left.keys()].join(', ')}`,
            ),
          );
        }
      }, 1_000);
      const eachBatch = async (payload: EachBatchPayload) => {
        const { batch } = payload;
        const target = left.get(batch.partition);
        for (const message of batch.messages) {
          if (target === undefined || BigInt(message.offset) >= target) break;
          messages.push(toTopicMessage(batch.partition, message.offset, message.value));
          lastProgress = Date.now();
          if (BigInt(message.offset) + 1n >= target) left.delete(batch.partition);
        }
        if (messages.length - reported >= 5_000) {
          reported = messages.length;
          progress(`kafka: ${messages.length} messages read`);
        }
        await payload.heartbeat();
        if (left.size === 0) {
          clearInterval(stall);
          resolve();
        }
      };
      consumer.run({ autoCommit: false, eachBatch }).catch((err: unknown) => {
        clearInterval(stall);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

export function toTopicMessage(partition: number, offset: string, value: Buffer | null): TopicMessage {
  const at = { partition, offset };
  if (value === null) return { ...at, orderId: null, event: null, invalid: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return { ...at, orderId: null, event: null, invalid: 'not JSON' };
  }
  const named = typeof json === 'object' && json !== null && 'orderId' in json ? json.orderId : null;
  const orderId = typeof named === 'string' ? named : null;
  try {
    const event = parseOrderEvent(json);
    const { traceparent: _trace, ...payload } = event;
    return {
      ...at,
      orderId: event.orderId,
      event: {
        id: event.id,
        type: event.type,
        sequence: event.sequence,
        orderId: event.orderId,
        payload: canonicalJson(payload),
      },
    };
  } catch (err) {
    const reason = firstIssue(err);
    return { ...at, orderId, event: null, invalid: `not a valid order event: ${reason}` };
  }
}

/** JSON with object keys sorted, so equal payloads compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function firstIssue(err: unknown): string {
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  const issue = issues?.[0];
  if (issue) return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
  return err instanceof Error ? err.message : String(err);
}
