// Stripe's side, through the official SDK and only documented list calls, so the same code reads
// the local emulator and real Stripe test mode: PaymentIntents created since the scope began
// (grouped later by `metadata.orderId`) and the refunds created since then.
import Stripe from 'stripe';
import { sdkEndpoint } from '@orders/platform';
import type { StripeIntent, StripeRefund } from '../model';
import { reading } from './source-error';

export interface StripeSource {
  /** e.g. the emulator's `http://127.0.0.1:12113`; null means api.stripe.com. */
  apiUrl: string | null;
  secretKey: string;
}

/**
 * Objects are listed from a minute before the scope's start: a PaymentIntent is made after its
 * order, but the two clocks are different machines' clocks on real Stripe.
 */
const CLOCK_SLACK_SECONDS = 60;

const createdSince = (since: Date | null) =>
  since ? { created: { gte: Math.floor(since.getTime() / 1000) - CLOCK_SLACK_SECONDS } } : {};

export const intentListParams = (since: Date | null): Stripe.PaymentIntentListParams => ({
  ...createdSince(since),
  limit: 100,
});

export const refundListParams = (since: Date | null): Stripe.RefundListParams => ({
  ...createdSince(since),
  limit: 100,
});

export function stripeClient(source: StripeSource): Stripe {
  const config: Stripe.StripeConfig = { maxNetworkRetries: 3, timeout: 30_000, telemetry: false };
  return new Stripe(source.secretKey, { ...config, ...(source.apiUrl && sdkEndpoint(source.apiUrl)) });
}

export async function readStripe(
  source: StripeSource,
  since: Date | null,
  keepOrder: (orderId: string) => boolean,
  progress: (line: string) => void = () => undefined,
): Promise<{ intents: StripeIntent[]; refunds: StripeRefund[] }> {
  const stripe = stripeClient(source);
  const intents: StripeIntent[] = [];
  let listed = 0;
  await reading('stripe', 'payment intents', async () => {
    for await (const intent of stripe.paymentIntents.list(intentListParams(since))) {
      if (++listed % 1000 === 0) progress(`stripe: ${listed} payment intents listed`);
      const orderId = intent.metadata?.orderId ?? null;
      if (!orderId || !keepOrder(orderId)) continue;
      intents.push({
        id: intent.id,
        orderId,
        status: intent.status,
        amount: intent.amount,
        amountReceived: intent.amount_received,
        created: intent.created,
      });
    }
  });
  const kept = new Set(intents.map((i) => i.id));
  const refunds: StripeRefund[] = [];
  await reading('stripe', 'refunds', async () => {
    for await (const refund of stripe.refunds.list(refundListParams(since))) {
      const intentId =
        typeof refund.payment_intent === 'string'
          ? refund.payment_intent
          : (refund.payment_intent?.id ?? null);
      if (!intentId || !kept.has(intentId)) continue;
      refunds.push({
        id: refund.id,
        paymentIntentId: intentId,
        amount: refund.amount,
        status: refund.status,
        created: refund.created,
        refundKey: refund.metadata?.refundKey ?? null,
      });
    }
  });
  return { intents, refunds };
}
