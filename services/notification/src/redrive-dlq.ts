// Re-drives the dead-letter topic: each message goes back to the topic it came from (its
// `dlq-original-topic` header), with its key and value and without the dlq-* headers, so the
// notification consumer handles it again; event ids make a second e-mail impossible.
//   npm run redrive-dlq -w @orders/notification -- [--dlq T] [--topic T] [--dry-run] [--limit N]
// Reads with a consumer group of its own and commits as it goes, so a re-run continues where the
// last one stopped; it stops at the end offsets it found when it started.
import { parseArgs } from 'node:util';
import { Partitioners, type IHeaders, type KafkaMessage } from 'kafkajs';
import {
  createKafka,
  createLogger,
  kafkaConnection,
  kafkaConnectionSchema,
  type KafkaConnection,
} from '@orders/platform';
import { ORDER_EVENTS_DLQ_TOPIC } from '@orders/platform/events';

export interface RedriveOptions {
  /** A broker list, or brokers with TLS and SASL (the service's KAFKA_* settings). */
  brokers: string[] | KafkaConnection;
  dlqTopic: string;
  /** Overrides `dlq-original-topic` (e.g. to re-drive into a topic of a test). */
  targetTopic?: string;
  dryRun: boolean;
  limit: number;
  groupId: string;
  onProgress?: (done: number, total: number) => void;
}

export interface RedriveResult {
  /** Messages found between the committed and the end offsets when the run started. */
  found: number;
  redriven: number;
  /** By target topic. */
  byTopic: Record<string, number>;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

/** The message as it was before it was dead-lettered, marked as re-driven. */
export function redrivenHeaders(headers: IHeaders | undefined, dlqTopic: string): IHeaders {
  const kept = Object.entries(headers ?? {}).filter(
    ([name, v]) => v !== undefined && !name.startsWith('dlq-'),
  );
  return { ...Object.fromEntries(kept), 'redriven-from': dlqTopic };
}

export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const logger = createLogger('redrive-dlq', process.env.LOG_LEVEL ?? 'warn');
  const kafka = createKafka(`redrive-dlq-${process.pid}`, options.brokers, logger);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(options.dlqTopic);
  const committed = await admin.fetchOffsets({ groupId: options.groupId, topics: [options.dlqTopic] });
  await admin.disconnect();
  const next = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  const end = new Map(ends.map((p) => [p.partition, Number(p.high)]));
  // From the group's committed offset (or the oldest kept message) up to the end found now.
  const waiting = ends.reduce(
    (sum, p) => sum + Math.max(0, Number(p.high) - Math.max(next.get(p.partition) ?? -1, Number(p.low))),
    0,
  );
  const found = Math.min(options.limit, waiting);
  const result: RedriveResult = { found, redriven: 0, byTopic: {} };
  if (found === 0 || options.dryRun) {
    if (options.dryRun) await listOnly(options, found, result);
    return result;
  }

  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: options.groupId });
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await consumer.subscribe({ topic: options.dlqTopic, fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (result.redriven >= options.limit || Number(message.offset) >= (end.get(partition) ?? 0)) return;
        const topic = options.targetTopic ?? header(message.headers, 'dlq-original-topic');
        if (!topic) throw new Error(`dead letter ${partition}@${message.offset} names no original topic`);
        await producer.send({ topic, acks: -1, messages: [toOriginal(message, options.dlqTopic)] });
        await consumer.commitOffsets([
          { topic: options.dlqTopic, partition, offset: String(Number(message.offset) + 1) },
        ]);
        result.redriven += 1;
        result.byTopic[topic] = (result.byTopic[topic] ?? 0) + 1;
        options.onProgress?.(result.redriven, found);
        if (result.redriven >= found) finish();
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return result;
}

function toOriginal(message: KafkaMessage, dlqTopic: string) {
  return {
    key: message.key,
    value: message.value,
    headers: redrivenHeaders(message.headers, dlqTopic),
  };
}

/** A dry run reads the messages with a throwaway group and commits nothing. */
async function listOnly(options: RedriveOptions, found: number, result: RedriveResult): Promise<void> {
  if (found === 0) return;
  const kafka = createKafka(
    `redrive-dlq-dry-${process.pid}`,
    options.brokers,
    createLogger('redrive-dlq', 'warn'),
  );
  const consumer = kafka.consumer({ groupId: `${options.groupId}-dry-run-${Date.now()}` });
  await consumer.connect();
  let seen = 0;
  try {
    await consumer.subscribe({ topic: options.dlqTopic, fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (seen >= found) return;
        seen += 1;
        const topic = options.targetTopic ?? header(message.headers, 'dlq-original-topic') ?? '?';
        result.byTopic[topic] = (result.byTopic[topic] ?? 0) + 1;
        out(
          `${partition}@${message.offset} -> ${topic}  reason=${header(message.headers, 'dlq-reason') ?? '?'}  key=${message.key?.toString() ?? ''}`,
        );
        if (seen >= found) finish();
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dlq: { type: 'string', default: process.env.ORDER_EVENTS_DLQ_TOPIC ?? ORDER_EVENTS_DLQ_TOPIC },
      topic: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      limit: { type: 'string', default: String(Number.MAX_SAFE_INTEGER) },
      group: { type: 'string', default: 'notification-dlq-redrive' },
    },
  });
  // The service's own KAFKA_* settings (brokers, TLS, SASL) reach the same cluster it does.
  const settings = kafkaConnectionSchema.safeParse(process.env);
  const limit = Number(values.limit);
  if (!settings.success || !Number.isInteger(limit) || limit <= 0) {
    err('usage: KAFKA_BROKERS=host:port redrive-dlq [--dlq T] [--topic T] [--dry-run] [--limit N]');
    process.exit(2);
  }
  const result = await redriveDeadLetters({
    brokers: kafkaConnection(settings.data),
    dlqTopic: values.dlq,
    ...(values.topic ? { targetTopic: values.topic } : {}),
    dryRun: values['dry-run'],
    limit,
    groupId: values.group,
    onProgress: (done, total) => {
      if (done % 100 === 0 || done === total) out(`re-driven ${done}/${total}`);
    },
  });
  out(
    `${values['dry-run'] ? 'would re-drive' : 're-drove'} ${values['dry-run'] ? result.found : result.redriven} of ${result.found} from ${values.dlq}: ${JSON.stringify(result.byTopic)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((failure: unknown) => {
    err(`redrive-dlq failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    process.exit(1);
  });
}
