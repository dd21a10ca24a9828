// Apache Kafka in KRaft mode (one combined broker + controller on loopback), run from its
// Maven Central jars on the machine's Java 17.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { StackConfig } from '../config';
import { ensureStackTls } from '../tls';
import { ensureKafkaJars } from '../install';
import { execFileAsync, runningPid, startDetached, stopByPidFile, waitUntil } from '../processes';
import type { Component } from './component';

const HEALTH_TOPIC = 'stack.health';

/**
 * The accounts of the broker's SASL_SSL listener (TLS with the stack CA's certificate): one for
 * SASL/PLAIN, one for SCRAM-SHA-512, as a managed cluster would hand out. Local values only.
 */
export const KAFKA_SASL_USERS = {
  plain: { username: 'stack-plain', password: 'stack-plain-password' },
  scram: { username: 'stack-scram', password: 'stack-scram-password' },
} as const;

export function kafka(config: StackConfig): Component {
  const name = 'kafka';
  const broker = `127.0.0.1:${config.ports.kafka}`;
  const home = path.join(config.dataDir, 'kafka');
  const propertiesFile = path.join(home, 'server.properties');
  const log4jFile = path.join(home, 'log4j2.properties');
  const keystoreFile = path.join(home, 'keystore.pem');
  const scramMarker = path.join(home, 'scram-users');
  const saslListener = `127.0.0.1:${config.ports.kafkaSasl}`;
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

  async function writeConfig() {
    mkdirSync(path.join(home, 'logs'), { recursive: true });
    // A PEM keystore is the private key followed by its certificate chain.
    const tls = await ensureStackTls(config.dir);
    writeFileSync(
      keystoreFile,
      `${readFileSync(tls.serverKey, 'utf8')}${readFileSync(tls.serverCert, 'utf8')}`,
      {
        mode: 0o600,
      },
    );
    const { plain } = KAFKA_SASL_USERS;
    writeFileSync(
      propertiesFile,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${config.ports.kafkaController}`,
        `listeners=PLAINTEXT://127.0.0.1:${config.ports.kafka},SASL_SSL://${saslListener},CONTROLLER://127.0.0.1:${config.ports.kafkaController}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${config.ports.kafka},SASL_SSL://${saslListener}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
        // The SASL_SSL listener: TLS with the stack CA's certificate, then PLAIN or SCRAM-SHA-512.
        'listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512',
        'listener.name.sasl_ssl.ssl.keystore.type=PEM',
        `listener.name.sasl_ssl.ssl.keystore.location=${keystoreFile}`,
        `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${plain.username}="${plain.password}";`,
        'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
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
      await writeConfig();
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
      if (!existsSync(scramMarker)) {
        // SCRAM credentials live in the cluster metadata: made once, through the plain listener.
        const { scram } = KAFKA_SASL_USERS;
        await execFileAsync(
          'java',
          java('kafka.admin.ConfigCommand', [
            ...[
              '--bootstrap-server',
              broker,
              '--alter',
              '--entity-type',
              'users',
              '--entity-name',
              scram.username,
            ],
            ...['--add-config', `SCRAM-SHA-512=[iterations=4096,password=${scram.password}]`],
          ]),
        );
        writeFileSync(scramMarker, new Date().toISOString());
      }
    },
    stop: () => stopByPidFile(config.runDir, name, 30_000),
    addresses: () => ({ bootstrap: broker, saslSsl: saslListener }),
    async version() {
      // The broker logs its own version at start; fall back to the jar version we launched.
      const logText = existsSync(this.logFile()) ? readFileSync(this.logFile(), 'utf8') : '';
      const match = [...logText.matchAll(/Kafka version: (\S+)/g)].pop();
      return `Apache Kafka ${match?.[1] ?? config.versions.kafka} (KRaft)`;
    },
    logFile: () => path.join(config.logDir, `${name}.log`),
  };
}
