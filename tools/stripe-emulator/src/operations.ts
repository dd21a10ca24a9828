// PaymentIntent and Refund behaviour as Stripe documents it: the status machine
// (requires_payment_method -> requires_confirmation -> requires_capture | succeeded ->
// canceled), test-card declines, partial capture, and refunds bounded by what was received.
import { GENERIC_DECLINE, type PaymentMethodEntry } from './cards';
import { cardError, invalidRequest, parameterError, resourceMissing, unexpectedState } from './errors';
import { unixNow } from './ids';
import type { EmulatorState, IntentRecord, NewIntent, RequestInfo } from './state';
import type { Metadata, PaymentIntent, Refund, RefundReason } from './types';

export interface ConfirmOptions {
  paymentMethod?: string;
  returnUrl?: string;
  /** An injected fault: decline whatever card is used. */
  forceDecline?: boolean;
}

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation'] as const;
const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
] as const;

/** Stripe's minimum charge per currency (minor units); others are not checked here. */
const MINIMUM_AMOUNT: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  cad: 50,
  aud: 50,
  chf: 50,
  nzd: 50,
  sgd: 50,
  jpy: 50,
  sek: 300,
  nok: 300,
  dkk: 250,
  pln: 200,
};
const MAXIMUM_AMOUNT = 99_999_999;

const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;

export class Operations {
  constructor(private readonly state: EmulatorState) {}

  create(info: RequestInfo, request: NewIntent, confirm?: ConfirmOptions): PaymentIntent {
    // Without explicit types, recent API versions turn on the Dashboard's payment methods.
    const input: NewIntent = {
      ...request,
      automaticPaymentMethods:
        request.automaticPaymentMethods ?? (request.paymentMethodTypes ? null : { enabled: true }),
    };
    const minimum = MINIMUM_AMOUNT[input.currency] ?? 1;
    if (input.amount < minimum)
      throw parameterError(
        `Amount must be at least ${money(minimum, input.currency)}`,
        'amount',
        'amount_too_small',
      );
    if (input.amount > MAXIMUM_AMOUNT)
      throw parameterError(
        `Amount must be no more than ${money(MAXIMUM_AMOUNT, input.currency)}`,
        'amount',
        'amount_too_large',
      );
    if (input.paymentMethod !== undefined) this.paymentMethod(input.paymentMethod);
    // Everything a confirmation checks is checked before the intent exists, so a refused
    // create-and-confirm leaves nothing behind.
    if (confirm) this.checkConfirmable(input, confirm);
    const record = this.state.insertIntent(info, input);
    if (confirm) this.confirmRecord(record, info, confirm);
    return structuredClone(record.intent);
  }

  confirm(info: RequestInfo, record: IntentRecord, options: ConfirmOptions): PaymentIntent {
    const { intent } = record;
    if (!(CONFIRMABLE as readonly string[]).includes(intent.status))
      throw unexpectedState(intent, 'confirm', CONFIRMABLE);
    this.checkConfirmable(
      {
        paymentMethod: options.paymentMethod ?? intent.payment_method ?? undefined,
        automaticPaymentMethods: intent.automatic_payment_methods,
      },
      options,
    );
    this.confirmRecord(record, info, options);
    return structuredClone(intent);
  }

  capture(
    info: RequestInfo,
    record: IntentRecord,
    amountToCapture: number | undefined,
    metadata: Metadata | undefined,
  ): PaymentIntent {
    const { intent } = record;
    if (intent.status !== 'requires_capture') throw unexpectedState(intent, 'capture', ['requires_capture']);
    const amount = amountToCapture ?? intent.amount_capturable;
    if (amount > intent.amount_capturable)
      throw invalidRequest(
        'amount_too_large',
        `The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${intent.amount_capturable}).`,
        'amount_to_capture',
      );
    const charge = this.state.latestCharge(record);
    if (charge) {
      charge.captured = true;
      charge.amountCaptured = amount;
    }
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    intent.status = 'succeeded';
    if (metadata) intent.metadata = { ...intent.metadata, ...metadata };
    this.state.log(record, 'capture', 'succeeded', info);
    return structuredClone(intent);
  }

  cancel(info: RequestInfo, record: IntentRecord, reason: string | undefined): PaymentIntent {
    const { intent } = record;
    if (!(CANCELABLE as readonly string[]).includes(intent.status))
      throw unexpectedState(intent, 'cancel', CANCELABLE);
    intent.status = 'canceled';
    intent.canceled_at = unixNow();
    intent.cancellation_reason = reason ?? null;
    intent.amount_capturable = 0;
    this.state.log(record, 'cancel', 'succeeded', info);
    return structuredClone(intent);
  }

  refund(
    info: RequestInfo,
    record: IntentRecord,
    input: { amount?: number; reason?: RefundReason; metadata: Metadata },
  ): Refund {
    const { intent } = record;
    if (intent.status !== 'succeeded') throw unexpectedState(intent, 'refund', ['succeeded']);
    const remaining = intent.amount_received - this.state.amountRefunded(record);
    if (remaining <= 0)
      throw invalidRequest(
        'charge_already_refunded',
        `Charge ${intent.latest_charge ?? ''} has already been refunded.`,
      );
    const amount = input.amount ?? remaining;
    if (amount > remaining)
      throw invalidRequest(
        'amount_too_large',
        `Refund amount (${money(amount, intent.currency)}) is greater than unrefunded amount on charge (${money(remaining, intent.currency)})`,
        'amount',
      );
    return structuredClone(
      this.state.addRefund(record, info, { amount, reason: input.reason ?? null, metadata: input.metadata }),
    );
  }

  private paymentMethod(id: string): PaymentMethodEntry {
    const entry = this.state.paymentMethods.resolve(id);
    if (!entry) throw resourceMissing('PaymentMethod', id, 'payment_method');
    return entry;
  }

  private checkConfirmable(
    target: Pick<NewIntent, 'paymentMethod' | 'automaticPaymentMethods'>,
    options: ConfirmOptions,
  ): void {
    const paymentMethod = options.paymentMethod ?? target.paymentMethod;
    if (paymentMethod === undefined)
      throw parameterError(
        "You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.",
        'payment_method',
        'payment_intent_unexpected_state',
      );
    this.paymentMethod(paymentMethod);
    const automatic = target.automaticPaymentMethods;
    // Dashboard payment methods may redirect, so Stripe needs somewhere to send the shopper back.
    if (automatic?.enabled && automatic.allow_redirects !== 'never' && options.returnUrl === undefined)
      throw parameterError(
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
        'return_url',
      );
  }

  private confirmRecord(record: IntentRecord, info: RequestInfo, options: ConfirmOptions): void {
    const { intent } = record;
    const method = this.paymentMethod(options.paymentMethod ?? intent.payment_method ?? '');
    const decline = options.forceDecline ? GENERIC_DECLINE : method.decline;
    if (decline) {
      const charge = this.state.addCharge(record, {
        amount: intent.amount,
        amountCaptured: 0,
        amountRefunded: 0,
        captured: false,
        status: 'failed',
      });
      intent.status = 'requires_payment_method';
      intent.payment_method = null;
      intent.last_payment_error = {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        charge: charge.id,
        doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
        payment_method: structuredClone(method.object),
      };
      this.state.log(record, 'confirm', 'declined', info);
      throw cardError(decline.code, decline.declineCode, decline.message, {
        charge: charge.id,
        payment_intent: structuredClone(intent),
        payment_method: structuredClone(method.object),
        request_log_url: `https://dashboard.stripe.com/test/logs/${info.requestId}`,
      });
    }
    const manual = intent.capture_method === 'manual';
    this.state.addCharge(record, {
      amount: intent.amount,
      amountCaptured: manual ? 0 : intent.amount,
      amountRefunded: 0,
      captured: !manual,
      status: 'succeeded',
    });
    intent.payment_method = method.object.id;
    intent.last_payment_error = null;
    intent.status = manual ? 'requires_capture' : 'succeeded';
    intent.amount_capturable = manual ? intent.amount : 0;
    intent.amount_received = manual ? 0 : intent.amount;
    this.state.log(record, 'confirm', 'succeeded', info);
  }
}
