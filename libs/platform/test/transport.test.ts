// The transport settings, pure: which connections count as encrypted, what production refuses
// and how it says so, and the connection options built from the settings.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import {
  baseConfigSchema,
  kafkaConnection,
  kafkaConnectionSchema,
  kafkaLink,
  loadConfig,
  postgresLink,
  postgresUsesTls,
  temporalConnectionOptions,
  temporalConnectionSchema,
  temporalLink,
} from '../src/index';

const schema = baseConfigSchema.extend({
  ...temporalConnectionSchema.shape,
  ...kafkaConnectionSchema.shape,
  DATABASE_URL: z.string(),
});
const load = (env: Record<string, string>) =>
  loadConfig(schema, env, { values: {} }, (c) => [
    temporalLink(c),
    kafkaLink(c),
    postgresLink(c.DATABASE_URL),
  ]);
const plain = { KAFKA_BROKERS: 'kafka:9092', DATABASE_URL: 'postgres://app:secret@db/app' };

test('production refuses each plain-text link, naming it, the setting that encrypts it and the opt-out', () => {
  assert.throws(
    () => load(plain),
    (err: Error) => {
      assert.match(
        err.message,
        /temporal \(127\.0\.0\.1:7233\): plain text is refused in production; set TEMPORAL_TLS=true/,
      );
      assert.match(err.message, /kafka \(kafka:9092\): .*KAFKA_TLS=true/);
      assert.match(err.message, /postgres \(postgres:\/\/app:\*\*\*@db\/app\): .*sslmode=verify-full/);
      assert.doesNotMatch(err.message, /secret/, 'no password in the message');
      assert.match(err.message, /ALLOW_PLAINTEXT=temporal,kafka,postgres/);
      return true;
    },
  );
});

test('ALLOW_PLAINTEXT lets named links through; TLS settings satisfy the rest; development is exempt', () => {
  assert.doesNotThrow(() => load({ ...plain, ALLOW_PLAINTEXT: 'temporal,kafka,postgres' }));
  assert.doesNotThrow(() =>
    load({
      ...plain,
      DATABASE_URL: 'postgres://app@db/app?sslmode=verify-full&sslrootcert=/ca.crt',
      TEMPORAL_API_KEY: 'key',
      KAFKA_TLS: 'true',
    }),
  );
  assert.throws(() => load({ ...plain, ALLOW_PLAINTEXT: 'temporal,kafka' }), /postgres .*plain text/);
  assert.throws(() => load({ ...plain, ALLOW_PLAINTEXT: 'everything' }), /ALLOW_PLAINTEXT.*must list only/);
  assert.doesNotThrow(() => load({ ...plain, NODE_ENV: 'development' }));
});

test('which database URLs encrypt', () => {
  for (const mode of ['require', 'verify-ca', 'verify-full']) {
    assert.equal(postgresUsesTls(`postgres://db/x?sslmode=${mode}`), true, mode);
  }
  for (const mode of ['disable', 'allow', 'prefer']) {
    assert.equal(postgresUsesTls(`postgres://db/x?sslmode=${mode}`), false, mode);
  }
  assert.equal(postgresUsesTls('postgres://db/x?ssl=true'), true);
  assert.equal(postgresUsesTls('postgres://db/x'), false);
  assert.equal(postgresUsesTls('not a url'), false);
});

const pems = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'transport-'));
  const file = (name: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, `-----BEGIN ${name}-----\n`);
    return f;
  };
  return { ca: file('CA'), cert: file('CERT'), key: file('KEY') };
};

test('Temporal options: mTLS files read, an API key implies TLS, half a pair and a missing file are errors', () => {
  const f = pems();
  const parse = (env: Record<string, string>) =>
    temporalConnectionOptions(temporalConnectionSchema.parse(env));
  assert.deepEqual(parse({ TEMPORAL_ADDRESS: 'temporal:7233' }), { address: 'temporal:7233' });
  const mtls = parse({
    TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    TEMPORAL_TLS_CA_FILE: f.ca,
    TEMPORAL_TLS_CERT_FILE: f.cert,
    TEMPORAL_TLS_KEY_FILE: f.key,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  });
  assert.equal(mtls.tls?.serverRootCACertificate?.toString(), '-----BEGIN CA-----\n');
  assert.equal(mtls.tls?.clientCertPair?.crt.toString(), '-----BEGIN CERT-----\n');
  assert.equal(mtls.tls?.serverNameOverride, 'temporal.internal');
  assert.deepEqual(parse({ TEMPORAL_ADDRESS: 'x.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }), {
    address: 'x.tmprl.cloud:7233',
    apiKey: 'k',
    tls: {},
  });
  assert.throws(() => parse({ TEMPORAL_TLS_CERT_FILE: f.cert }), /set both \(mTLS\) or neither/);
  assert.throws(
    () => parse({ TEMPORAL_TLS_CA_FILE: '/nowhere/ca.crt' }),
    /TEMPORAL_TLS_CA_FILE: cannot read \/nowhere\/ca.crt/,
  );
});

test('Kafka options: TLS with a CA, SASL needs its credentials, mechanisms as kafkajs spells them', () => {
  const f = pems();
  const parse = (env: Record<string, string>) => kafkaConnection(kafkaConnectionSchema.parse(env));
  assert.deepEqual(parse({ KAFKA_BROKERS: 'a:9092, b:9092' }), { brokers: ['a:9092', 'b:9092'] });
  const scram = parse({
    KAFKA_BROKERS: 'a:9096',
    KAFKA_TLS_CA_FILE: f.ca,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  });
  assert.equal(scram.ssl?.ca?.toString(), '-----BEGIN CA-----\n');
  assert.deepEqual(scram.sasl, { mechanism: 'scram-sha-512', username: 'u', password: 'p' });
  assert.deepEqual(parse({ KAFKA_BROKERS: 'a:9092', KAFKA_TLS: 'true' }).ssl, {});
  assert.throws(
    () => parse({ KAFKA_BROKERS: 'a:9092', KAFKA_SASL_MECHANISM: 'plain' }),
    /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required/,
  );
  assert.throws(() => kafkaConnectionSchema.parse({ KAFKA_BROKERS: 'a', KAFKA_SASL_MECHANISM: 'gssapi' }));
});
