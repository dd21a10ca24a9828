// Stripe's test-mode PaymentMethod tokens (https://docs.stripe.com/testing): the ones that
// succeed, and the ones that decline with Stripe's code, decline_code and message.
import { newId, unixNow } from './ids';
import type { PaymentMethodObject } from './types';

export interface Decline {
  code: string;
  declineCode: string;
  message: string;
}

interface TestCard {
  brand: string;
  last4: string;
  funding: string;
  decline?: Decline;
}

const declined = (declineCode: string, message: string, code = 'card_declined'): Decline => ({
  code,
  declineCode,
  message,
});

export const GENERIC_DECLINE = declined('generic_decline', 'Your card was declined.');

const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  pm_card_discover: { brand: 'discover', last4: '1117', funding: 'credit' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', funding: 'credit', decline: GENERIC_DECLINE },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    funding: 'credit',
    decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  pm_card_chargeDeclinedFraudulent: {
    brand: 'visa',
    last4: '0019',
    funding: 'credit',
    decline: declined('fraudulent', 'Your card was declined.'),
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    funding: 'credit',
    decline: declined('expired_card', 'Your card has expired.', 'expired_card'),
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa',
    last4: '0127',
    funding: 'credit',
    decline: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: 'visa',
    last4: '0119',
    funding: 'credit',
    decline: declined(
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
      'processing_error',
    ),
  },
};

export interface PaymentMethodEntry {
  object: PaymentMethodObject;
  decline?: Decline;
}

/**
 * Like Stripe, passing a test token creates a new PaymentMethod (`pm_...`) that the intent
 * then references; both the token and the created id resolve here.
 */
export class PaymentMethods {
  private readonly created = new Map<string, PaymentMethodEntry>();

  resolve(id: string): PaymentMethodEntry | undefined {
    const existing = this.created.get(id);
    if (existing) return existing;
    const card = TEST_CARDS[id];
    if (!card) return undefined;
    const entry: PaymentMethodEntry = {
      object: {
        id: newId('pm'),
        object: 'payment_method',
        type: 'card',
        card: {
          brand: card.brand,
          last4: card.last4,
          exp_month: 12,
          exp_year: new Date().getFullYear() + 3,
          funding: card.funding,
          country: 'US',
        },
        created: unixNow(),
        customer: null,
        livemode: false,
        metadata: {},
      },
      ...(card.decline ? { decline: card.decline } : {}),
    };
    this.created.set(entry.object.id, entry);
    return entry;
  }
}
