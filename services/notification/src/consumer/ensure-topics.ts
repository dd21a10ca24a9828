// Subscribing to a topic that does not exist yet fails the start (auto-creation races the
// metadata request), and the DLQ topic belongs to this service; so both are created when missing.
import type { Kafka } from 'kafkajs';
import type { Logger } from '@orders/platform';

export async function ensureTopics(kafka: Kafka, topics: string[], logger: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Asking first keeps the broker from answering (and kafkajs from logging) an error per start.
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    // Partition count and replication are left to the broker's defaults.
    await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
    logger.info({ topics: missing }, 'created missing Kafka topics');
  } catch (err) {
    // Managed clusters may forbid creating topics; they are then provisioned outside the service.
    logger.warn({ err, topics }, 'could not ensure Kafka topics exist; assuming they are provisioned');
  } finally {
    await admin.disconnect();
  }
}
