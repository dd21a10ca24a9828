// One way to build a kafkajs client, with its logs routed into pino.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger';
import type { KafkaConnection } from './transport/kafka';
// Every client built here runs without kafkajs's idle timer loop (why: kafka-idle-timer-fix.ts).
import './kafka-idle-timer-fix';

/**
 * kafkajs warns when an idempotent producer's retries are bounded, on behalf of exactly-once
 * transactions, which this system does not use. The bound is deliberate: a publish that cannot
 * reach Kafka fails within its activity's timeout and Temporal retries it with the same event id
 * (consumers dedupe by id), instead of a send that waits forever in the worker's memory.
 */
const DELIBERATE = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/** `connection`: a broker list (the local stack), or brokers with TLS and SASL (kafkaConnection()). */
export function createKafka(clientId: string, connection: string[] | KafkaConnection, logger: Logger): Kafka {
  const { brokers, ssl, sasl } = Array.isArray(connection) ? { brokers: connection } : connection;
  return new Kafka({
    clientId,
    brokers,
    ...(ssl && { ssl }),
    ...(sasl && { sasl }),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8 },
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const fields = { kafka: namespace, ...extra };
        if (level === logLevel.ERROR) logger.error(fields, message);
        else if (level === logLevel.WARN && !DELIBERATE.has(message)) logger.warn(fields, message);
        else logger.debug(fields, message);
      },
  });
}
