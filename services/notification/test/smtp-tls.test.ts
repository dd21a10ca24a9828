// The mailer against a relay secured like a provider's submission port: a real mailpit that
// offers STARTTLS with the stack CA's certificate, requires it, and requires a login. The
// service's settings (SMTP_REQUIRE_TLS, SMTP_TLS_CA_FILE, SMTP_USER, SMTP_PASSWORD) deliver; a
// relay the CA did not sign and a wrong password are refused.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '@orders/platform';
import { loadStackConfig } from '@orders/stack/config';
import { freePort } from '@orders/stack/free-port';
import { ensureMailpitWithUi } from '@orders/stack/mailpit-build';
import { mailpitClient, type MailpitClient } from '@orders/stack/mailpit-client';
import { sleep } from '@orders/stack/processes';
import { ensureStackTls, type StackTls } from '@orders/stack/tls';
import { createMailer } from '../src/adapters/smtp-mailer';
import { messageIdFor } from '../src/domain/mail';

const USER = { name: 'orders-relay', password: `relay-${randomUUID()}` };
const logger = createLogger('smtp-tls-test', 'silent');
let relay: ChildProcess;
let smtpPort: number;
let mail: MailpitClient;
let tls: StackTls;

before(async () => {
  const config = loadStackConfig();
  tls = await ensureStackTls(config.dir);
  const binary = await ensureMailpitWithUi(config.cacheDir, config.versions.mailpit);
  const dir = mkdtempSync(path.join(tmpdir(), 'smtp-tls-'));
  const authFile = path.join(dir, 'smtp-users');
  writeFileSync(authFile, `${USER.name}:${USER.password}\n`);
  smtpPort = await freePort();
  const webPort = await freePort();
  relay = spawn(
    binary,
    [
      ...['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${webPort}`],
      ...['--database', path.join(dir, 'mailpit.db')],
      ...['--smtp-tls-cert', tls.serverCert, '--smtp-tls-key', tls.serverKey, '--smtp-require-starttls'],
      ...['--smtp-auth-file', authFile],
    ],
    { stdio: 'ignore' },
  );
  mail = mailpitClient(`http://127.0.0.1:${webPort}`);
  for (let i = 0; ; i++) {
    try {
      await mail.search('subject:"none"');
      break;
    } catch (err) {
      if (i > 100) throw err;
      await sleep(100);
    }
  }
});

after(() => {
  relay?.kill('SIGTERM');
});

const settings = (overrides: Partial<Parameters<typeof createMailer>[0]> = {}) => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: smtpPort,
  SMTP_SECURE: false,
  SMTP_REQUIRE_TLS: true,
  SMTP_TLS_CA_FILE: tls.ca,
  SMTP_USER: USER.name,
  SMTP_PASSWORD: USER.password,
  MAIL_FROM: '"Order Platform" <orders@shop.example>',
  ...overrides,
});

const message = (to: string) => ({
  to: { address: to },
  subject: `TLS relay ${to}`,
  text: 'hello over STARTTLS',
  html: '<p>hello over STARTTLS</p>',
  messageId: messageIdFor(`smtp-tls-${randomUUID()}`),
  headers: {},
});

async function sendWith(overrides: Partial<Parameters<typeof createMailer>[0]>, to: string) {
  const mailer = createMailer(settings(overrides), logger);
  try {
    return await mailer.send(message(to));
  } finally {
    mailer.close();
  }
}

test('STARTTLS with the CA and a login delivers', async () => {
  const to = `tls-${randomUUID().slice(0, 8)}@example.test`;
  await sendWith({}, to);
  const found = await mail.to(to);
  assert.equal(found.length, 1);
  assert.equal(found[0]?.Subject, `TLS relay ${to}`);
});

test('a relay whose certificate the CA did not sign, or a wrong password: refused, nothing delivered', async () => {
  const to = `refused-${randomUUID().slice(0, 8)}@example.test`;
  await assert.rejects(
    sendWith({ SMTP_TLS_CA_FILE: tls.otherCa }, to),
    /certificate|self-signed|unable to verify/i,
  );
  await assert.rejects(sendWith({ SMTP_PASSWORD: 'not-it' }, to), /auth|535|credentials/i);
  assert.deepEqual(await mail.to(to), [], 'nothing delivered');
});
