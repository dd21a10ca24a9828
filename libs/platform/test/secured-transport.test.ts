// The transport settings against the real stack, secured the way managed providers are:
// PostgreSQL with ssl=on checked with sslmode=verify-full, Kafka's SASL_SSL listener with PLAIN
// and SCRAM-SHA-512, and Temporal behind a TLS endpoint that requires a client certificate (and,
// in one case, an API key). Each also fails the way it must: an untrusted CA, a wrong password,
// no client certificate, no key.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { KAFKA_SASL_USERS } from '@orders/stack/components/kafka';
import { loadStackConfig } from '@orders/stack/config';
import { startTemporalTlsEndpoint, type TemporalTlsEndpoint } from '@orders/stack/temporal-tls-endpoint';
import { ensureStackTls, type StackTls } from '@orders/stack/tls';
import {
  createKafka,
  createLogger,
  kafkaConnection,
  kafkaConnectionSchema,
  temporalConnectionOptions,
  temporalConnectionSchema,
} from '../src/index';

const env = process.env;
const logger = createLogger('secured-transport-test', 'silent');
let tls: StackTls;

before(async () => {
  if (!env.STACK_TLS_DIR || !env.KAFKA_SASL_SSL_BROKERS) throw new Error('source the stack env first');
  tls = await ensureStackTls(loadStackConfig().dir);
});

describe('PostgreSQL with sslmode=verify-full', () => {
  const url = (host: string, ca: string) => {
    const u = new URL(env.POSTGRES_URL ?? '');
    u.hostname = host;
    u.searchParams.set('sslmode', 'verify-full');
    u.searchParams.set('sslrootcert', ca);
    return u.toString();
  };

  test('connects encrypted when the server certificate is signed by the CA and names the host', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const client = new pg.Client({ connectionString: url(host, tls.ca) });
      await client.connect();
      try {
        const { rows } = await client.query<{ ssl: boolean; version: string }>(
          'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
        );
        assert.equal(rows[0]?.ssl, true, `${host}: the session is encrypted`);
        assert.match(rows[0]?.version ?? '', /^TLSv1\.[23]$/);
      } finally {
        await client.end();
      }
    }
  });

  test('refuses a server its CA did not sign', async () => {
    const client = new pg.Client({ connectionString: url('127.0.0.1', tls.otherCa) });
    await assert.rejects(client.connect(), /self-signed certificate|unable to verify|certificate/i);
  });
});

describe("Kafka's SASL_SSL listener", () => {
  const connect = (overrides: Record<string, string>) =>
    kafkaConnection(
      kafkaConnectionSchema.parse({
        KAFKA_BROKERS: env.KAFKA_SASL_SSL_BROKERS,
        KAFKA_TLS: 'true',
        KAFKA_TLS_CA_FILE: tls.ca,
        ...overrides,
      }),
    );

  for (const [mechanism, user] of [
    ['plain', KAFKA_SASL_USERS.plain],
    ['scram-sha-512', KAFKA_SASL_USERS.scram],
  ] as const) {
    test(`produces and consumes with SASL ${mechanism.toUpperCase()} over TLS`, async () => {
      const kafka = createKafka(
        `sasl-${mechanism}`,
        connect({
          KAFKA_SASL_MECHANISM: mechanism,
          KAFKA_SASL_USERNAME: user.username,
          KAFKA_SASL_PASSWORD: user.password,
        }),
        logger,
      );
      const topic = `transport.sasl.${mechanism}.${randomUUID().slice(0, 8)}`;
      const admin = kafka.admin();
      await admin.connect();
      const producer = kafka.producer();
      const consumer = kafka.consumer({ groupId: `${topic}.group` });
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await producer.connect();
        const marker = randomUUID();
        await producer.send({ topic, messages: [{ value: marker }] });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        const received = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('not consumed in 30 s')), 30_000);
          void consumer.run({
            eachMessage: async ({ message }) => {
              clearTimeout(timer);
              resolve(message.value?.toString() ?? '');
            },
          });
        });
        assert.equal(received, marker);
      } finally {
        await consumer.disconnect();
        await producer.disconnect();
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        await admin.disconnect();
      }
    });
  }

  test('refuses a wrong password, and a broker whose certificate the CA did not sign', async () => {
    // No retries: each refusal is final, and retrying would only make the test slow.
    const once = (connection: ReturnType<typeof connect>) =>
      new Kafka({
        ...connection,
        clientId: 'sasl-refused',
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
    const { scram, plain } = KAFKA_SASL_USERS;
    await assert.rejects(
      once(
        connect({
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: scram.username,
          KAFKA_SASL_PASSWORD: 'not-it',
        }),
      ).connect(),
      /authentication failed/i,
    );
    await assert.rejects(
      once(
        connect({
          KAFKA_TLS_CA_FILE: tls.otherCa,
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: plain.username,
          KAFKA_SASL_PASSWORD: plain.password,
        }),
      ).connect(),
      /certificate|self-signed|unable to verify/i,
    );
  });
});

describe('Temporal behind a TLS endpoint that requires a client certificate', () => {
  let endpoint: TemporalTlsEndpoint;
  let keyed: TemporalTlsEndpoint;
  const API_KEY = `key-${randomUUID()}`;
  before(async () => {
    const common = {
      upstream: env.TEMPORAL_ADDRESS ?? '',
      ca: tls.ca,
      cert: tls.serverCert,
      key: tls.serverKey,
    };
    endpoint = await startTemporalTlsEndpoint(common);
    keyed = await startTemporalTlsEndpoint({ ...common, apiKeys: [API_KEY] });
  });
  after(async () => {
    await endpoint.close();
    await keyed.close();
  });
  const options = (address: string, extra: Record<string, string> = {}) =>
    temporalConnectionOptions(
      temporalConnectionSchema.parse({
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TLS_CA_FILE: tls.ca,
        TEMPORAL_TLS_CERT_FILE: tls.clientCert,
        TEMPORAL_TLS_KEY_FILE: tls.clientKey,
        ...extra,
      }),
    );

  test("the client's Connection and the worker's NativeConnection reach the server with mTLS", async () => {
    const client = await Connection.connect(options(endpoint.address));
    try {
      const ns = await client.workflowService.describeNamespace({ namespace: 'default' });
      assert.equal(ns.namespaceInfo?.name, 'default');
    } finally {
      await client.close();
    }
    const native = await NativeConnection.connect(options(endpoint.address));
    try {
      const info = await native.workflowService.getSystemInfo({});
      assert.ok(info.serverVersion, 'the Rust core connection answered');
    } finally {
      await native.close();
    }
  });

  test('without a client certificate, or trusting another CA, the connection is refused', async () => {
    const noCert = temporalConnectionOptions(
      temporalConnectionSchema.parse({ TEMPORAL_ADDRESS: endpoint.address, TEMPORAL_TLS_CA_FILE: tls.ca }),
    );
    await assert.rejects(async () => {
      const c = await Connection.connect({ ...noCert, connectTimeout: 3_000 });
      try {
        await c.workflowService.describeNamespace({ namespace: 'default' });
      } finally {
        await c.close();
      }
    });
    await assert.rejects(async () => {
      const c = await Connection.connect({
        ...options(endpoint.address, { TEMPORAL_TLS_CA_FILE: tls.otherCa }),
        connectTimeout: 3_000,
      });
      await c.close();
    });
  });

  test('an endpoint that wants an API key refuses calls without it and serves calls with it', async () => {
    const withKey = await Connection.connect(options(keyed.address, { TEMPORAL_API_KEY: API_KEY }));
    try {
      await withKey.workflowService.describeNamespace({ namespace: 'default' });
    } finally {
      await withKey.close();
    }
    const refusedBefore = keyed.counts.refused;
    await assert.rejects(
      async () => {
        const c = await Connection.connect({ ...options(keyed.address), connectTimeout: 3_000 });
        try {
          await c.workflowService.describeNamespace({ namespace: 'default' });
        } finally {
          await c.close();
        }
      },
      (err: Error) =>
        /UNAUTHENTICATED: invalid API key/.test(String((err.cause as Error | undefined)?.message)),
    );
    assert.ok(keyed.counts.refused > refusedBefore, 'the endpoint refused the keyless call');
  });
});
