// Pure tests of the e-mail templates and the helpers that shape what is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../src/backoff';
import {
  escapeHtml,
  failureInWords,
  formatMoney,
  renderOrderEmail,
  shortOrderId,
} from '../src/domain/templates';
import { messageIdFor } from '../src/domain/mail';
import { orderEvent, sampleItems } from './support';

const options = { storeName: 'Test Shop' };
const customer = { id: 'cus-1', email: 'ada@example.test', name: 'Ada' };
const orderId = 'ord-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

test('money is formatted from minor units with the currency exponent', () => {
  assert.equal(formatMoney(1250, 'eur'), '€12.50');
  assert.equal(formatMoney(0, 'usd'), '$0.00');
  assert.equal(formatMoney(123456789, 'usd'), '$1,234,567.89');
  assert.equal(formatMoney(500, 'jpy'), '¥500');
  // Intl separates a code or trailing symbol with a no-break space.
  assert.match(formatMoney(1234, 'kwd'), /^KWD\s1\.234$/);
  assert.match(formatMoney(1250, 'eur', 'de-DE'), /^12,50\s€$/);
});

test('HTML is escaped everywhere customer data appears', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const email = renderOrderEmail(
    orderEvent('OrderCompleted', orderId, 2, {
      customer: { ...customer, name: '<script>alert(1)</script>' },
      items: [{ sku: 'X-1', name: 'Mug <b>big</b> & "bold"', quantity: 1, unitPrice: 100 }],
      total: 100,
      currency: 'eur',
    }),
    options,
  );
  assert.ok(email);
  assert.doesNotMatch(email.html, /<script>|<b>/);
  assert.match(email.html, /Hi &lt;script&gt;alert\(1\)&lt;\/script&gt;,/);
  assert.match(email.html, /Mug &lt;b&gt;big&lt;\/b&gt; &amp; &quot;bold&quot;/);
  // The text part is not HTML and keeps the name as given.
  assert.match(email.text, /^Hi <script>alert\(1\)<\/script>,/);
});

test('the confirmation lists items, quantities, prices and the total', () => {
  const email = renderOrderEmail(
    orderEvent('OrderCompleted', orderId, 2, { customer, items: sampleItems, total: 3399, currency: 'eur' }),
    options,
  );
  assert.ok(email);
  assert.equal(email.subject, 'Your order #2E3F4A5B is confirmed');
  assert.match(email.text, /2 x Blue mug \(MUG-BLUE\) @ €12\.50 = €25\.00/);
  assert.match(email.text, /1 x TEA-EARL @ €8\.99 = €8\.99/);
  assert.match(email.text, /Total: €33\.99/);
  assert.match(email.text, /Order reference: ord-0190a1b2/);
  assert.match(email.text, /— Test Shop/);
  assert.match(email.html, /<td align="right"><strong>€33\.99<\/strong><\/td>/);
});

test('a customer without a name is greeted neutrally', () => {
  const email = renderOrderEmail(
    orderEvent('OrderCancelled', orderId, 3, {
      customer: { id: 'c', email: 'x@example.test' },
      reason: 'r',
      actor: 'support',
      compensations: [],
      refunded: 0,
      currency: 'eur',
    }),
    options,
  );
  assert.ok(email);
  assert.match(email.text, /^Hello,/);
  assert.match(email.text, /You have not been charged/);
  assert.doesNotMatch(email.text, /refunded/);
});

test('a cancellation after refunds says what it refunded now and in total, not the same money twice', () => {
  const cancelled = (refunded: number, refundedByCancellation?: number) =>
    renderOrderEmail(
      orderEvent('OrderCancelled', orderId, 7, {
        customer: { id: 'c', email: 'x@example.test' },
        reason: 'returned',
        actor: 'support:agent-1',
        compensations: ['refundPayment'],
        refunded,
        ...(refundedByCancellation !== undefined ? { refundedByCancellation } : {}),
        currency: 'eur',
      }),
      options,
    )?.text ?? '';
  const afterPartial = cancelled(5000, 4000);
  assert.match(
    afterPartial,
    /With this cancellation we have refunded €40\.00 to your original payment method\./,
  );
  assert.match(
    afterPartial,
    /In total, €50\.00 has been refunded for this order, including the €10\.00 refunded earlier\./,
  );
  assert.doesNotMatch(afterPartial, /We have refunded €50\.00/);
  assert.match(cancelled(5000, 0), /already been refunded, so this cancellation refunds nothing more/);
  // Only this cancellation refunded (or an event from before the field existed): one sentence.
  for (const text of [cancelled(5000, 5000), cancelled(5000)]) {
    assert.match(text, /We have refunded €50\.00 to your original payment method\./);
    assert.doesNotMatch(text, /In total/);
  }
});

test('failures are explained in customer words, and refunds are mentioned when made', () => {
  assert.equal(failureInWords('OUT_OF_STOCK', 'reserve'), 'some of the items are out of stock');
  assert.equal(failureInWords('CARD_DECLINED', 'authorize'), 'your payment was declined');
  assert.equal(failureInWords('PRICE_CHANGED', 'validate'), 'some of the items or prices in it have changed');
  assert.equal(
    failureInWords('ORDER_LIMIT_EXCEEDED', 'validate'),
    'it exceeds what we can accept in a single order',
  );
  // Unknown rejection codes fall back to the step; running out of retries is never the customer's doing.
  assert.equal(failureInWords('EXPIRED', 'authorize'), 'your payment was declined');
  assert.equal(failureInWords('STEP_FAILED', 'reserve'), 'of a technical problem on our side');
  assert.equal(failureInWords('STEP_TIMED_OUT', 'authorize'), 'of a technical problem on our side');
  assert.equal(failureInWords('REJECTED', 'commit'), 'of a technical problem on our side');

  const failed = (compensations: string[]) =>
    renderOrderEmail(
      orderEvent('OrderFailed', orderId, 4, {
        customer,
        failedStep: 'commit',
        code: 'STEP_TIMED_OUT',
        reason: 'inventory did not answer',
        compensations,
      }),
      options,
    );
  assert.match(failed(['voidAuthorization'])?.text ?? '', /No money was taken/);
  assert.match(failed(['refundPayment', 'voidAuthorization'])?.text ?? '', /refunded in full/);
  assert.equal(failed([])?.subject, 'We could not complete your order #2E3F4A5B');
});

test('refund e-mails name the amount, and the running total when there were earlier refunds', () => {
  const refund = (amount: number, totalRefunded: number) =>
    renderOrderEmail(
      orderEvent('OrderRefunded', orderId, 5, {
        customer,
        refundId: 're_1',
        amount,
        totalRefunded,
        currency: 'gbp',
        reason: 'r',
        actor: 'support',
      }),
      options,
    );
  assert.equal(refund(500, 500)?.subject, 'Refund of £5.00 for order #2E3F4A5B');
  assert.doesNotMatch(refund(500, 500)?.text ?? '', /In total/);
  assert.match(refund(500, 1500)?.text ?? '', /In total, £15\.00 has now been refunded/);
});

test('events that only record progress render no e-mail', () => {
  const placed = orderEvent('OrderPlaced', orderId, 1, {
    customer,
    items: sampleItems,
    total: 1,
    currency: 'eur',
  });
  const confirmed = orderEvent('OrderConfirmed', orderId, 2, { customer, total: 1, currency: 'eur' });
  const captured = orderEvent('PaymentCaptured', orderId, 3, {
    customer,
    amount: 1,
    currency: 'eur',
    paymentId: 'pi_1',
  });
  for (const event of [placed, confirmed, captured]) assert.equal(renderOrderEmail(event, options), null);
});

test('short order ids come from the tail of the id', () => {
  assert.equal(shortOrderId('ord-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'), '#2E3F4A5B');
  assert.equal(shortOrderId('A1'), '#A1');
});

test('Message-IDs are deterministic, safe and distinct per event id', () => {
  assert.equal(messageIdFor('ord-1:2'), '<ord-1=3A2@orders.local>');
  assert.equal(messageIdFor('ord-1:2'), messageIdFor('ord-1:2'));
  assert.notEqual(messageIdFor('a:1'), messageIdFor('a=3A1'));
  assert.match(messageIdFor('<evil>@x y\r\n'), /^<[A-Za-z0-9_=-]+@orders\.local>$/);
  assert.match(messageIdFor('x'.repeat(500)), /^<sha256-[0-9a-f]{64}@orders\.local>$/);
});

test('retry backoff doubles from the base and is capped at 10 s', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffDelay(n, 500)),
    [500, 1000, 2000, 4000],
  );
  assert.equal(backoffDelay(20, 500), 10_000);
});
