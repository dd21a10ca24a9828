// Apache Kafka in KRaft mode (one combined broker + controller on loopback), run from its
// Maven Central jars on the machine's Java 17.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { StackConfig } from '../config';
import { ensureKafkaJars } from '../install';
import { execFileAsync, runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import type { Component } from './component';

const HEALTH_TOPIC = 'stack.health';

export function kafka(config: StackConfig): Component {
  const name = 'kafka';
  const broker = `127.0.0.1:${config.ports.kafka}`;
  const home = path.join(config.dataDir, 'kafka');
  const propertiesFile = path.join(home, 'server.properties');
  const log4jFile = path.join(home, 'log4j2.properties');
  let libs = '';

  const client = () =>
    new Kafka({
      clientId: 'stack-health',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });

  /** A real round trip: topic, produce, consume in a group. A cold broker's coordinator takes a moment. */
  async function roundTrip() {
    const kafkaClient = client();
    const admin = kafkaClient.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: HEALTH_TOPIC, numPartitions: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    const marker = `ping-${process.pid}-${Date.now()}`;
    // Idempotent, so the transaction coordinator has loaded too (the saga producer needs it).
    const producer = kafkaClient.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({ topic: HEALTH_TOPIC, messages: [{ value: marker }] });
    await producer.disconnect();
    const consumer = kafkaClient.consumer({
      groupId: 'stack-health',
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    await consumer.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('health message not consumed within 20s')), 20_000);
        consumer
          .subscribe({ topic: HEALTH_TOPIC, fromBeginning: true })
          .then(() =>
            consumer.run({
              eachMessage: async ({ message }) => {
                if (message.value?.toString() === marker) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            }),
          )
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }

  function writeConfig() {
    mkdirSync(path.join(home, 'logs'), { recursive: true });
    writeFileSync(
      propertiesFile,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${config.ports.kafkaController}`,
        `listeners=PLAINTEXT://127.0.0.1:${config.ports.kafka},CONTROLLER://127.0.0.1:${config.ports.kafkaController}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${config.ports.kafka}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        `log.dirs=${path.join(home, 'logs')}`,
        'num.partitions=3',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=10',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=true',
        'log.retention.hours=24',
        // Sized for a laptop-class dev box, not a broker host: the defaults (3 network, 8 I/O,
        // 10 background threads) wake and switch far more threads than one node here needs.
        'num.network.threads=2',
        'num.io.threads=2',
        'background.threads=2',
        '',
      ].join('\n'),
    );
    writeFileSync(
      log4jFile,
      [
        'status = warn',
        'appender.console.type = Console',
        'appender.console.name = STDOUT',
        'appender.console.layout.type = PatternLayout',
        'appender.console.layout.pattern = [%d] %p %m (%c)%n',
        'rootLogger.level = info',
        'rootLogger.appenderRef.stdout.ref = STDOUT',
        'logger.kafka.name = kafka',
        'logger.kafka.level = info',
        'logger.apache.name = org.apache',
        'logger.apache.level = warn',
        'logger.appinfo.name = org.apache.kafka.common.utils.AppInfoParser',
        'logger.appinfo.level = info',
        '',
      ].join('\n'),
    );
  }

  const java = (mainClass: string, args: string[]) => [
    '-cp',
    `${libs}/*`,
    `-Dlog4j2.configurationFile=${log4jFile}`,
    mainClass,
    ...args,
  ];

  return {
    name,
    async install() {
      libs = await ensureKafkaJars(config.cacheDir, config.versions.kafka);
    },
    running: async () => runningPid(config.runDir, name),
    async start() {
      writeConfig();
      if (!existsSync(path.join(home, 'logs', 'meta.properties'))) {
        const { stdout } = await execFileAsync('java', java('kafka.tools.StorageTool', ['random-uuid']));
        await execFileAsync(
          'java',
          java('kafka.tools.StorageTool', ['format', '-t', stdout.trim(), '-c', propertiesFile]),
        );
      }
      startDetached({
        name,
        runDir: config.runDir,
        logDir: config.logDir,
        command: 'java',
        args: [
          `-Xms256m`,
          `-Xmx${config.kafkaHeap}`,
          // A heap this small collects faster, with no concurrent GC threads, serially.
          '-XX:+UseSerialGC',
          '-Djava.awt.headless=true',
          ...java('kafka.Kafka', [propertiesFile]),
        ],
      });
    },
    async ready(timeoutMs) {
      await waitUntil('Kafka', roundTrip, { timeoutMs, logFile: this.logFile(), pid: await this.running() });
    },
    stop: () => stopByPidFile(config.runDir, name, 30_000),
    addresses: () => ({ bootstrap: broker }),
    async version() {
      // The broker logs its own version at start; fall back to the jar version we launched.
      const logText = existsSync(this.logFile()) ? readFileSync(this.logFile(), 'utf8') : '';
      const match = [...logText.matchAll(/Kafka version: (\S+)/g)].pop();
      return `Apache Kafka ${match?.[1] ?? config.versions.kafka} (KRaft)`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
