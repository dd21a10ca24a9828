// An order end to end with every app on secured infrastructure, as on managed providers: the
// order service and the worker reach Temporal only through a TLS endpoint that requires their
// client certificate, the worker and the notification service reach Kafka only on its SASL_SSL
// listener (SCRAM-SHA-512), and every service's database connection is verify-full against the
// stack's CA. The saga completes, stock, payment and e-mail are right, and the traffic was
// encrypted: the endpoint forwarded the apps' calls and PostgreSQL reports their sessions as TLS.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { KAFKA_SASL_USERS } from '@orders/stack/components/kafka';
import { loadStackConfig } from '@orders/stack/config';
import { startTemporalTlsEndpoint, type TemporalTlsEndpoint } from '@orders/stack/temporal-tls-endpoint';
import { ensureStackTls } from '@orders/stack/tls';
import { clients, newCustomer } from './clients';
import { eventually, sagaResult, startTestSystem, uniqueSku, type TestSystem } from './system-under-test';

let t: TestSystem;
let endpoint: TemporalTlsEndpoint;
let api: ReturnType<typeof clients>;
/** This run's sessions, told from other tests' by application_name (the URL's wins over the app's). */
const APP_PREFIX = `secured-${randomUUID().slice(0, 8)}`;

const stackVar = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: source the stack env first`);
  return value;
};

before(async () => {
  const tls = await ensureStackTls(loadStackConfig().dir);
  endpoint = await startTemporalTlsEndpoint({
    upstream: stackVar('TEMPORAL_ADDRESS'),
    ca: tls.ca,
    cert: tls.serverCert,
    key: tls.serverKey,
  });
  const verifyFull = (name: string) => {
    const url = new URL(stackVar(name));
    url.searchParams.set('sslmode', 'verify-full');
    url.searchParams.set('sslrootcert', tls.ca);
    url.searchParams.set('application_name', `${APP_PREFIX}-${name}`);
    return url.toString();
  };
  const { scram } = KAFKA_SASL_USERS;
  t = await startTestSystem('secured', {
    refundWindowSeconds: 2,
    appEnv: {
      TEMPORAL_ADDRESS: endpoint.address,
      TEMPORAL_TLS_CA_FILE: tls.ca,
      TEMPORAL_TLS_CERT_FILE: tls.clientCert,
      TEMPORAL_TLS_KEY_FILE: tls.clientKey,
      KAFKA_BROKERS: stackVar('KAFKA_SASL_SSL_BROKERS'),
      KAFKA_TLS_CA_FILE: tls.ca,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: scram.username,
      KAFKA_SASL_PASSWORD: scram.password,
      ORDERS_DATABASE_URL: verifyFull('ORDERS_DATABASE_URL'),
      INVENTORY_DATABASE_URL: verifyFull('INVENTORY_DATABASE_URL'),
      PAYMENTS_DATABASE_URL: verifyFull('PAYMENTS_DATABASE_URL'),
      NOTIFICATIONS_DATABASE_URL: verifyFull('NOTIFICATIONS_DATABASE_URL'),
    },
  });
  api = clients(t);
});
after(async () => {
  await t?.stop();
  await endpoint?.close();
});

describe('the saga on secured infrastructure', { timeout: 300_000 }, () => {
  test('an order completes over mTLS Temporal, SASL_SSL Kafka and verify-full PostgreSQL', async () => {
    const forwardedBefore = endpoint.counts.forwarded;
    const sku = uniqueSku('SECURE');
    await api.inventory.createProduct(sku, { onHand: 5, unitPrice: 1500 });
    const customer = await newCustomer();
    const placed = await api.orders.place(
      customer.token,
      { items: [{ sku, quantity: 2 }], paymentMethod: 'pm_card_visa' },
      randomUUID(),
    );
    assert.equal(placed.status, 202, JSON.stringify(placed.body));
    const { orderId } = placed.body;

    const result = await sagaResult(t, orderId);
    assert.equal(result.status, 'COMPLETED');
    assert.equal((await api.inventory.product(sku)).onHand, 3);
    assert.equal((await api.payments.get(orderId)).body.captured, 3000);
    // The event went out on the SASL_SSL listener and the notification service read it there.
    await eventually(`the confirmation e-mail for ${orderId}`, async () => {
      const sent = (await api.notifications.list(orderId)).find(
        (n) => n.type === 'OrderCompleted' && n.status === 'SENT',
      );
      return sent ? true : undefined;
    });
    assert.equal((await api.mail.to(customer.email)).length >= 1, true);
    assert.ok(
      endpoint.counts.forwarded > forwardedBefore,
      'the apps reached Temporal through the TLS endpoint',
    );

    // Every session the services hold is encrypted.
    const admin = new pg.Client({ connectionString: stackVar('POSTGRES_URL') });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ application_name: string; ssl: boolean }>(
        `SELECT a.application_name, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
          WHERE a.application_name LIKE $1`,
        [`${APP_PREFIX}-%`],
      );
      assert.deepEqual(
        [...new Set(rows.map((r) => r.application_name.slice(APP_PREFIX.length + 1)))].sort(),
        [
          'INVENTORY_DATABASE_URL',
          'NOTIFICATIONS_DATABASE_URL',
          'ORDERS_DATABASE_URL',
          'PAYMENTS_DATABASE_URL',
        ],
        'every service has sessions',
      );
      assert.deepEqual(
        rows.filter((r) => !r.ssl),
        [],
        'no plain-text session',
      );
    } finally {
      await admin.end();
    }
  });
});
