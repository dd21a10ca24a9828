// `npm run audit` against the real system: a run of four orders (completed, declined, out of
// stock, partly refunded by support) audits clean; then each kind of damage, done through the
// real stores behind the system's back, makes the audit exit 1 naming the check that caught it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { stripeClient } from '../src/collect/stripe';
import type { AuditReport } from '../src/audit';
import { api, eventually, runAuditCli, stackVar, startAuditSystem, type AuditTestSystem } from './system';
import { mailpitClient } from '@orders/stack/mailpit-client';

let t: AuditTestSystem;
let since: Date;
const sku = `AUDIT-${randomUUID().slice(0, 10).toUpperCase()}`;
const scarceSku = `AUDIT-SCARCE-${randomUUID().slice(0, 8).toUpperCase()}`;
const orders: Record<
  'completed' | 'declined' | 'scarce' | 'refunded',
  { orderId: string; email: string; token: string }
> = {} as never;
let baselineFile: string;

before(async () => {
  t = await startAuditSystem();
});
after(() => t?.stop());

function auditArgs(): string[] {
  return [
    '--since',
    since.toISOString(),
    '--customer-prefix',
    t.customerPrefix,
    '--topic',
    t.topic,
    '--stock-baseline',
    baselineFile,
  ];
}

const checksIn = (report: AuditReport | null) =>
  [...new Set((report?.violations ?? []).map((v) => v.check))].sort();

async function withDb<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('npm run audit', { timeout: 400_000 }, () => {
  test('a run of completed, declined, out-of-stock and refunded orders audits clean', async () => {
    const client = api(t);
    assert.ok([200, 201].includes((await client.createProduct(sku, 20, 1000)).status));
    assert.ok([200, 201].includes((await client.createProduct(scarceSku, 1, 500)).status));
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-'));
    baselineFile = path.join(dir, 'baseline.json');
    writeFileSync(baselineFile, JSON.stringify({ [sku]: 20, [scarceSku]: 1 }));
    since = new Date(Date.now() - 1_000);

    const place = async (items: { sku: string; quantity: number }[], paymentMethod?: string) => {
      const customer = await client.customer();
      const res = await client.place(customer.token, items, paymentMethod);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return { orderId: res.body.orderId, email: customer.email, token: customer.token };
    };
    orders.completed = await place([{ sku, quantity: 2 }]);
    orders.declined = await place([{ sku, quantity: 1 }], 'pm_card_chargeDeclined');
    orders.scarce = await place([{ sku: scarceSku, quantity: 2 }]);
    orders.refunded = await place([{ sku, quantity: 3 }]);

    const status = (name: keyof typeof orders) =>
      eventually(`${name} to finish`, async () => {
        const { body } = await client.order(orders[name].token, orders[name].orderId);
        return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(body.status) ? body.status : undefined;
      });
    assert.equal(await status('completed'), 'COMPLETED');
    assert.equal(await status('declined'), 'FAILED');
    assert.equal(await status('scarce'), 'FAILED');
    assert.equal(await status('refunded'), 'COMPLETED');

    const refund = await client.refund(await client.support(), orders.refunded.orderId, {
      amount: 1000,
      reason: 'one arrived broken',
      items: [{ sku, quantity: 1 }],
    });
    assert.ok([201, 202].includes(refund.status), JSON.stringify(refund.body));
    await eventually('the refund on the order record', async () => {
      const { body } = await client.order(orders.refunded.token, orders.refunded.orderId);
      return body.refunded === 1000 ? true : undefined;
    });

    const { status: exit, report, stderr } = await runAuditCli([...auditArgs(), '--wait-terminal', '90']);
    assert.equal(exit, 0, `${stderr}\n${JSON.stringify(report?.violations, null, 2)}`);
    assert.ok(report?.ok);
    assert.deepEqual(report.violations, []);
    assert.deepEqual(report.inFlight, []);
    assert.equal(report.counts.orders, 4);
    assert.deepEqual(report.counts.ordersByStatus, { COMPLETED: 2, FAILED: 2 });
    assert.equal(report.counts.paymentIntents, 3, 'completed, declined and refunded each have one');
    assert.equal(report.counts.stripeRefunds, 1);
    // OrderCompleted ×2, OrderFailed ×2, OrderRefunded ×1: each one e-mail.
    assert.equal(report.counts.emails, 5);
    assert.equal(report.checks.find((c) => c.check === 'emails')?.checked, 5);
    assert.equal(report.checks.find((c) => c.check === 'stock')?.checked, 2 + 4);
  });

  test('an extra e-mail for an event already e-mailed is caught by "emails"', async () => {
    const eventId = `${orders.completed.orderId}:4`;
    const transport = nodemailer.createTransport({
      host: stackVar('SMTP_HOST'),
      port: Number(stackVar('SMTP_PORT')),
    });
    await transport.sendMail({
      from: 'orders@example.test',
      to: orders.completed.email,
      subject: 'Your order is confirmed (again)',
      text: 'a second copy',
      headers: {
        'X-Order-Id': orders.completed.orderId,
        'X-Order-Event-Id': eventId,
        'X-Order-Event-Type': 'OrderCompleted',
      },
    });
    transport.close();

    const { status, report } = await runAuditCli(auditArgs());
    assert.equal(status, 1);
    assert.deepEqual(checksIn(report), ['emails']);
    assert.equal(report?.violations[0]?.orderId, orders.completed.orderId);
    assert.match(report?.violations[0]?.detail ?? '', /2 e-mails, expected exactly one/);

    // Undo, so the next case sees only its own damage.
    const mailpit = mailpitClient(stackVar('MAILPIT_URL'));
    const found = (await mailpit.to(orders.completed.email)).filter((m) => m.Subject.includes('(again)'));
    assert.equal(found.length, 1);
    await mailpit.delete(found.map((m) => m.ID));
    assert.equal((await runAuditCli(auditArgs())).status, 0);
  });

  test('a payments row whose refunded differs is caught by "money"', async () => {
    const payments = stackVar('PAYMENTS_DATABASE_URL');
    const bump = (by: number) =>
      withDb(payments, (db) =>
        db.query('UPDATE payments SET refunded = refunded + $2 WHERE order_id = $1', [
          orders.completed.orderId,
          by,
        ]),
      );
    await bump(1);
    try {
      const { status, report } = await runAuditCli(auditArgs());
      assert.equal(status, 1);
      assert.deepEqual(checksIn(report), ['money']);
      assert.equal(report?.violations[0]?.orderId, orders.completed.orderId);
      assert.match(report?.violations[0]?.detail ?? '', /payments record .* refunded 1/);
    } finally {
      await bump(-1);
    }
    assert.equal((await runAuditCli(auditArgs())).status, 0);
  });

  test('a stock counter bumped in the inventory database is caught by "stock"', async () => {
    const inventory = stackVar('INVENTORY_DATABASE_URL');
    const bump = (by: number) =>
      withDb(inventory, (db) =>
        db.query('UPDATE products SET reserved = reserved + $2 WHERE sku = $1', [sku, by]),
      );
    await bump(1);
    try {
      const { status, report } = await runAuditCli(auditArgs());
      assert.equal(status, 1);
      assert.deepEqual(checksIn(report), ['stock']);
      assert.deepEqual(
        report?.violations.map((v) => v.sku),
        [sku],
      );
      assert.match(report?.violations[0]?.detail ?? '', /reserved counter is 1, HELD reservations hold 0/);
    } finally {
      await bump(-1);
    }
    assert.equal((await runAuditCli(auditArgs())).status, 0);
  });

  test('a Stripe refund made behind the system is caught by "money"', async () => {
    const stripe = stripeClient({ apiUrl: stackVar('STRIPE_EMULATOR_URL'), secretKey: 'sk_test_local' });
    const intents = await stripe.paymentIntents.list({
      created: { gte: Math.floor(since.getTime() / 1000) - 60 },
      limit: 100,
    });
    const intent = intents.data.find((i) => i.metadata.orderId === orders.refunded.orderId);
    assert.ok(intent, 'the refunded order has a PaymentIntent');
    await stripe.refunds.create({ payment_intent: intent.id, amount: 100 });

    const { status, report } = await runAuditCli(auditArgs());
    assert.equal(status, 1);
    assert.deepEqual(checksIn(report), ['money']);
    assert.ok(report?.violations.every((v) => v.orderId === orders.refunded.orderId));
    assert.match(report?.violations[0]?.detail ?? '', /Stripe captured 3000 and refunded 1100/);
  });

  test('an unreachable source is exit status 2, not a verdict', async () => {
    const { status, stderr } = await runAuditCli([...auditArgs(), '--mailpit-url', 'http://127.0.0.1:9']);
    assert.equal(status, 2);
    assert.match(stderr, /mailpit/);
  });
});
