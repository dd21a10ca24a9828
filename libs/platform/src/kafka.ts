// One way to build a kafkajs client, with its logs routed into pino.
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger';

export function createKafka(clientId: string, brokers: string[], logger: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8 },
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const fields = { kafka: namespace, ...extra };
        if (level === logLevel.ERROR) logger.error(fields, message);
        else if (level === logLevel.WARN) logger.warn(fields, message);
        else logger.debug(fields, message);
      },
  });
}
