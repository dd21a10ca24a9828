// The support console in a real browser against the whole system (four services, the saga
// worker, the real stack): sign in, find an order, watch its saga complete on the timeline,
// refund part of it (once, on a double click), see an over-refund refused in words, cancel
// another order; and the mail page lists the e-mails the saga sent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { clients, newCustomer } from '../../../orchestrator/test/e2e/clients';
import {
  eventually,
  startTestSystem,
  uniqueSku,
  type TestSystem,
} from '../../../orchestrator/test/e2e/system-under-test';
import { docsScreenshot, launchBrowser, withScreenshotOnFailure } from './browser';

let t: TestSystem;
let api: ReturnType<typeof clients>;
let browser: Browser;
let page: Page;
let consoleUrl: string;
const customer = await newCustomer();
const placed: string[] = [];

before(async () => {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/ensure-built.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
  // A long refund window: completed orders stay open for refunds during the whole file.
  t = await startTestSystem('console', { refundWindowSeconds: 600 });
  api = clients(t);
  consoleUrl = `${t.system.urls.order}/console/`;
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  page = await context.newPage();
});
after(async () => {
  await browser?.close();
  await t?.stop();
});

async function placeOrder(): Promise<string> {
  const sku = uniqueSku('CON');
  await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 2500 });
  const res = await api.orders.place(
    customer.token,
    { items: [{ sku, quantity: 2 }], paymentMethod: 'pm_card_visa' },
    randomUUID(),
  );
  assert.equal(res.status, 202, JSON.stringify(res.body));
  placed.push(res.body.orderId);
  return res.body.orderId;
}

const timeline = () => page.getByRole('list', { name: 'Timeline, oldest first' });
const badge = () => page.locator('.order-head .badge');

describe('support console in a browser', { timeout: 300_000 }, () => {
  test('signs in with the development sign-in', async () => {
    await withScreenshotOnFailure(page, 'sign-in', async () => {
      await page.goto(consoleUrl);
      await page.getByLabel('Your name (optional)').fill('tester');
      await page.getByRole('button', { name: 'Sign in for development' }).click();
      await page.getByText('Signed in as').waitFor();
      assert.equal(await page.locator('.who strong').textContent(), 'dev-tester');
    });
  });

  test('finds an order by its customer and watches its saga complete on the timeline', async () => {
    await withScreenshotOnFailure(page, 'watch-saga', async () => {
      // The capture answers late, so the page is seen while the saga is still running.
      await api.faults.inject('payment', {
        method: 'POST',
        path: '/v1/payments/:orderId/capture',
        delayMs: 3_000,
        times: 1,
      });
      const orderId = await placeOrder();
      await page.getByLabel('Customer id').fill(customer.id);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const link = page.getByRole('link', { name: `Order ${orderId}` });
      await link.waitFor({ timeout: 20_000 });
      await link.click();
      await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
      await page.getByText('Live: updating every 2 s').waitFor();
      // Seen before the end: the steps so far, updated live without a reload.
      await timeline().getByText('authorize — authorizePayment').waitFor({ timeout: 30_000 });
      await badge().getByText('COMPLETED').waitFor({ timeout: 60_000 });
      for (const step of ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit'])
        assert.ok(
          (await timeline()
            .locator('[data-kind=step].outcome-completed', { hasText: `${step} — ` })
            .count()) >= 1,
          `step ${step} completed on the timeline`,
        );
      for (const type of ['OrderPlaced', 'OrderConfirmed', 'PaymentCaptured', 'OrderCompleted'])
        await timeline().locator('[data-kind=event].outcome-published', { hasText: type }).waitFor();
      // E-mails are sent by the notification service after the events: they appear as they go out.
      await timeline()
        .locator('[data-kind=email].outcome-sent', { hasText: `to ${customer.email}` })
        .first()
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await page.getByTestId('captured').textContent(),
        await page.getByTestId('authorized').textContent(),
      );
      await docsScreenshot(page, 'console-timeline', true);
    });
  });

  test('refunds part of the order, once, however often the button is clicked', async () => {
    await withScreenshotOnFailure(page, 'partial-refund', async () => {
      const orderId = placed[0] ?? '';
      await page.getByRole('button', { name: 'Refund…' }).click();
      const dialog = page.getByRole('dialog', { name: /Refund order/ });
      await dialog.getByLabel(/^Amount/).fill('10.00');
      await dialog.getByLabel('Reason').fill('scratched mug, goodwill');
      await docsScreenshot(page, 'console-refund-dialog');
      await dialog.getByRole('button', { name: 'Refund' }).dblclick();
      await page.getByText(/Refunded .*10\.00/).waitFor({ timeout: 30_000 });
      const order = (await api.orders.get(customer.token, orderId)).body;
      assert.equal(order.saga?.refunds.length, 1, JSON.stringify(order.saga?.refunds));
      assert.equal(order.saga?.amounts.refunded, 1_000);
      await timeline()
        .locator('[data-kind=support].outcome-done', { hasText: 'by support:dev-tester' })
        .waitFor({ timeout: 20_000 });
      await timeline().getByText('reason: scratched mug, goodwill').waitFor();
      await timeline().locator('[data-kind=event]', { hasText: 'OrderRefunded' }).waitFor();
      assert.match((await page.getByTestId('refunded').textContent()) ?? '', /10\.00/);
    });
  });

  test('a refund beyond what is left is refused, and the console says why', async () => {
    await withScreenshotOnFailure(page, 'over-refund', async () => {
      await page.getByRole('button', { name: 'Refund…' }).click();
      const dialog = page.getByRole('dialog', { name: /Refund order/ });
      await dialog.getByText(/Still refundable: .*40\.00/).waitFor();
      await dialog.getByLabel(/^Amount/).fill('45.00');
      await dialog.getByLabel('Reason').fill('customer asked for more');
      await dialog.getByRole('button', { name: 'Refund' }).click();
      const error = dialog.getByRole('alert');
      await error.waitFor({ timeout: 20_000 });
      const text = (await error.textContent()) ?? '';
      assert.match(text, /more than what is still refundable/);
      assert.match(text, /exceeds the 4000 still refundable/);
      assert.match(text, /HTTP 422 REFUND_EXCEEDS_CAPTURED/);
      // The keyboard closes the dialog; nothing was refunded.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      const order = (await api.orders.get(customer.token, placed[0] ?? '')).body;
      assert.equal(order.saga?.amounts.refunded, 1_000);
    });
  });

  test('cancels another order: the captured money is refunded and the timeline shows the undo', async () => {
    await withScreenshotOnFailure(page, 'cancel', async () => {
      const orderId = await placeOrder();
      await eventually(`order ${orderId} completed`, async () =>
        (await api.orders.get(customer.token, orderId)).body.status === 'COMPLETED' ? true : undefined,
      );
      await page.goto(`${consoleUrl}#/orders/${orderId}`);
      await badge().getByText('COMPLETED').waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Cancel order…' }).click();
      const dialog = page.getByRole('dialog', { name: /Cancel order/ });
      await dialog.getByLabel('Reason').fill('customer changed their mind');
      await dialog.getByRole('button', { name: 'Cancel order' }).click();
      await badge().getByText('CANCELLED').waitFor({ timeout: 60_000 });
      await timeline()
        .locator('[data-kind=compensation]', { hasText: 'refundPayment (undoes capture)' })
        .waitFor({ timeout: 20_000 });
      await timeline().locator('[data-kind=support]', { hasText: 'cancel by support:dev-tester' }).waitFor();
      await timeline().locator('[data-kind=event]', { hasText: 'OrderCancelled' }).waitFor();
      assert.match((await page.getByTestId('refunded').textContent()) ?? '', /50\.00/);
    });
  });

  test('the list counts this customer’s orders per status, live', async () => {
    await withScreenshotOnFailure(page, 'counts', async () => {
      await page.goto(`${consoleUrl}#/?customerId=${encodeURIComponent(customer.id)}`);
      const counts = page.getByRole('group', { name: 'Orders per status (live)' });
      await counts.getByRole('button', { name: 'All 2' }).waitFor({ timeout: 20_000 });
      await counts.getByRole('button', { name: 'completed 1' }).waitFor();
      await counts.getByRole('button', { name: 'cancelled 1' }).click();
      const rows = page.locator('table.orders tbody tr');
      await eventually('only the cancelled order listed', async () =>
        (await rows.count()) === 1 && (await rows.first().textContent())?.includes('CANCELLED')
          ? true
          : undefined,
      );
      await page.goto(consoleUrl);
      await page.locator('table.orders tbody tr').first().waitFor();
      await docsScreenshot(page, 'console-orders');
    });
  });

  test('the mail page lists the e-mails the saga sent', async () => {
    await withScreenshotOnFailure(page, 'mail-page', async () => {
      const mailpit = process.env.MAILPIT_URL ?? '';
      await page.goto(`${mailpit}/search?q=${encodeURIComponent(`to:"${customer.email}"`)}`);
      // The message list is rendered by the page's script (/dist/app.js): a blank page has none.
      await page.getByText(customer.email).first().waitFor({ timeout: 20_000 });
      await page
        .getByText(/cancelled/i)
        .first()
        .waitFor();
      await docsScreenshot(page, 'mail-page');
    });
  });
});
