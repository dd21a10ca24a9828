import assert from 'node:assert/strict';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import { stackVar, uniqueId } from './env';
import { mailpitClient } from '../src/mailpit-client';

test('an e-mail sent with nodemailer is read back from the SMTP catcher API', async () => {
  const transport = nodemailer.createTransport({
    host: stackVar('SMTP_HOST'),
    port: Number(stackVar('SMTP_PORT')),
    secure: false,
  });
  const subject = uniqueId('smoke mail');
  await transport.sendMail({
    from: 'orders@shop.test',
    to: 'shopper@example.test',
    subject,
    text: 'Your order is on its way.',
  });
  transport.close();

  const mailpit = mailpitClient(stackVar('MAILPIT_URL'));
  const messages = await mailpit.search(`subject:"${subject}"`);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]?.To[0]?.Address, 'shopper@example.test');
  const full = await mailpit.read(messages[0]?.ID ?? '');
  assert.match(full.Text, /on its way/);
});

test('the mail page has its web interface: the script and styles it loads are served', async () => {
  const page = await fetch(stackVar('MAILPIT_URL'));
  assert.equal(page.status, 200);
  const html = await page.text();
  // The page is an empty shell that app.js renders; without it the page is blank.
  for (const asset of ['dist/app.js', 'dist/app.css']) {
    assert.match(html, new RegExp(asset.replace('.', '\\.')), `the page loads ${asset}`);
    const res = await fetch(`${stackVar('MAILPIT_URL')}/${asset}`);
    assert.equal(res.status, 200, asset);
    assert.ok((await res.arrayBuffer()).byteLength > 1_000, `${asset} has content`);
  }
});
