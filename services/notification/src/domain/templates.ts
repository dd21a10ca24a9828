// The customer e-mails, one per e-mailing event type. Pure functions of the event, so they are
// unit-tested without SMTP and the same event always renders the same message.
import type { OrderEvent, OrderEventData } from '@orders/platform/events';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateOptions {
  storeName: string;
  /** BCP 47 locale for money; the customer's locale is not in the events yet. */
  locale?: string;
}

type EmailingEvent = Extract<
  OrderEvent,
  { type: 'OrderCompleted' | 'OrderFailed' | 'OrderCancelled' | 'OrderRefunded' }
>;

const EMAILING_TYPES: ReadonlySet<OrderEvent['type']> = new Set([
  'OrderCompleted',
  'OrderFailed',
  'OrderCancelled',
  'OrderRefunded',
]);

export const sendsEmail = (event: OrderEvent): event is EmailingEvent => EMAILING_TYPES.has(event.type);

const DEFAULT_LOCALE = 'en-US';

// Building an Intl.NumberFormat loads locale data: it was 4.6 % of the notification service's CPU
// under load (loadtest/BENCHMARKS.md, fifth round). A formatter per locale and currency is kept;
// the key space is bounded (a malformed currency code throws before it is stored).
const moneyFormats = new Map<string, { format: Intl.NumberFormat; divisor: number }>();

function moneyFormat(locale: string, currency: string) {
  const key = `${locale}|${currency}`;
  let entry = moneyFormats.get(key);
  if (!entry) {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    entry = { format, divisor: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
    moneyFormats.set(key, entry);
  }
  return entry;
}

/** Formats integer minor units using the currency's own exponent (cents, yen, fils ...). */
export function formatMoney(minor: number, currency: string, locale = DEFAULT_LOCALE): string {
  const { format, divisor } = moneyFormat(locale, currency.toUpperCase());
  return format.format(minor / divisor);
}

/**
 * A reference short enough for a subject line. The tail of the id is used because time-ordered
 * ids (UUIDv7, ULID) share their leading characters across orders placed close together.
 */
export function shortOrderId(orderId: string): string {
  const alnum = orderId.replace(/[^A-Za-z0-9]/g, '');
  return `#${(alnum.length > 0 ? alnum.slice(-8) : orderId).toUpperCase()}`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The e-mail for an event, or null for events that are recorded but not e-mailed. */
export function renderOrderEmail(event: OrderEvent, options: TemplateOptions): RenderedEmail | null {
  if (!sendsEmail(event)) return null;
  const money = (minor: number, currency: string) => formatMoney(minor, currency, options.locale);
  const ref = shortOrderId(event.orderId);
  const greeting = event.data.customer.name ? `Hi ${event.data.customer.name},` : 'Hello,';

  switch (event.type) {
    case 'OrderCompleted': {
      const { items, total, currency } = event.data;
      const lines = items.map((item) => ({
        label: item.name ? `${item.name} (${item.sku})` : item.sku,
        quantity: item.quantity,
        unit: money(item.unitPrice, currency),
        amount: money(item.unitPrice * item.quantity, currency),
      }));
      const totalText = money(total, currency);
      return compose(options, event.orderId, greeting, {
        subject: `Your order ${ref} is confirmed`,
        paragraphs: [
          `Thank you for your order ${ref}. Your payment has been received and your order is confirmed.`,
        ],
        table: { lines, total: totalText },
      });
    }
    case 'OrderFailed':
      return compose(options, event.orderId, greeting, {
        subject: `We could not complete your order ${ref}`,
        paragraphs: [
          `We are sorry: we could not complete your order ${ref} because ${failureInWords(event.data.code, event.data.failedStep)}.`,
          event.data.compensations.some((c) => /refund/i.test(c))
            ? 'Any payment you made has been refunded in full.'
            : 'No money was taken: any amount held on your card has been released.',
        ],
      });
    case 'OrderCancelled':
      return compose(options, event.orderId, greeting, {
        subject: `Your order ${ref} has been cancelled`,
        paragraphs: [`Your order ${ref} has been cancelled.`, ...cancellationRefund(event.data, money)],
      });
    case 'OrderRefunded': {
      const { amount, totalRefunded, currency } = event.data;
      const paragraphs = [
        `We have refunded ${money(amount, currency)} for your order ${ref} to your original payment method.`,
      ];
      if (totalRefunded > amount)
        paragraphs.push(`In total, ${money(totalRefunded, currency)} has now been refunded for this order.`);
      paragraphs.push('Depending on your bank, it can take a few business days to appear on your statement.');
      return compose(options, event.orderId, greeting, {
        subject: `Refund of ${money(amount, currency)} for order ${ref}`,
        paragraphs,
      });
    }
  }
}

/**
 * What a cancellation refunded, apart from what earlier refunds (each with its own e-mail)
 * already returned, so the customer does not read the same money twice.
 */
function cancellationRefund(
  data: OrderEventData<'OrderCancelled'>,
  money: (minor: number, currency: string) => string,
): string[] {
  const { refunded, currency } = data;
  const now = data.refundedByCancellation ?? refunded;
  const earlier = refunded - now;
  if (refunded === 0) return ['You have not been charged for this order.'];
  if (earlier === 0) return [`We have refunded ${money(now, currency)} to your original payment method.`];
  return [
    now > 0
      ? `With this cancellation we have refunded ${money(now, currency)} to your original payment method.`
      : 'Everything you paid had already been refunded, so this cancellation refunds nothing more.',
    `In total, ${money(refunded, currency)} has been refunded for this order, including the ${money(earlier, currency)} refunded earlier.`,
  ];
}

/**
 * Failure codes come from the saga (validation codes, the participants' rejection types, or
 * STEP_FAILED / STEP_TIMED_OUT when a step ran out of retries); the customer gets plain words,
 * never the internal reason text.
 */
export function failureInWords(code: string, failedStep: string): string {
  const c = code.toUpperCase();
  if (/^STEP_(FAILED|TIMED_OUT)$/.test(c)) return TECHNICAL;
  if (/STOCK/.test(c)) return 'some of the items are out of stock';
  if (/DECLIN|CARD|PAYMENT|FUNDS/.test(c)) return 'your payment was declined';
  if (/SKU|PRODUCT|PRICE|CURRENCY|TOTAL/.test(c)) return 'some of the items or prices in it have changed';
  if (/LIMIT|TOO_MANY/.test(c)) return 'it exceeds what we can accept in a single order';
  // An unknown rejection code: the step that rejected the order says what kind it was.
  switch (failedStep) {
    case 'reserve':
      return 'some of the items are out of stock';
    case 'authorize':
      return 'your payment was declined';
    case 'validate':
      return 'some of its details could not be accepted';
    default:
      return TECHNICAL;
  }
}

const TECHNICAL = 'of a technical problem on our side';

interface Body {
  subject: string;
  paragraphs: string[];
  table?: { lines: { label: string; quantity: number; unit: string; amount: string }[]; total: string };
}

function compose(options: TemplateOptions, orderId: string, greeting: string, body: Body): RenderedEmail {
  const signature = options.storeName;
  const reference = `Order reference: ${orderId}`;

  const text = [greeting, '', ...body.paragraphs.flatMap((p) => [p, ''])];
  if (body.table) {
    for (const line of body.table.lines)
      text.push(`  ${line.quantity} x ${line.label} @ ${line.unit} = ${line.amount}`);
    text.push('', `Total: ${body.table.total}`, '');
  }
  text.push(reference, '', `— ${signature}`, '');

  const e = escapeHtml;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${e(body.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${e(greeting)}</p>`,
    ...body.paragraphs.map((p) => `<p>${e(p)}</p>`),
  ];
  if (body.table) {
    html.push(
      '<table cellpadding="4" style="border-collapse: collapse">',
      '<tr><th align="left">Item</th><th align="right">Qty</th><th align="right">Price</th><th align="right">Amount</th></tr>',
      ...body.table.lines.map(
        (l) =>
          `<tr><td>${e(l.label)}</td><td align="right">${l.quantity}</td><td align="right">${e(l.unit)}</td><td align="right">${e(l.amount)}</td></tr>`,
      ),
      `<tr><td colspan="3"><strong>Total</strong></td><td align="right"><strong>${e(body.table.total)}</strong></td></tr>`,
      '</table>',
    );
  }
  html.push(`<p style="color: #666">${e(reference)}</p>`, `<p>— ${e(signature)}</p>`, '</body></html>', '');

  return { subject: body.subject, text: text.join('\n'), html: html.join('\n') };
}
