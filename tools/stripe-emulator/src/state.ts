// The in-memory Stripe account(s): PaymentIntents, their charges and refunds, and what each
// operation did. Objects belong to the API key that created them, as objects belong to an
// account on Stripe; the admin views look across all of them.
import { PaymentMethods } from './cards';
import { newId, randomToken, unixNow } from './ids';
import { resourceMissing } from './errors';
import { inRange, type Page, type Range } from './list-params';
import type {
  CaptureMethod,
  ChargeRecord,
  List,
  Metadata,
  Operation,
  OperationRecord,
  PaymentIntent,
  Refund,
} from './types';

export interface RequestInfo {
  account: string;
  requestId: string;
  idempotencyKey: string | null;
}

export interface IntentRecord {
  account: string;
  intent: PaymentIntent;
  charges: ChargeRecord[];
  refunds: Refund[];
  operations: OperationRecord[];
}

export interface NewIntent {
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  customer?: string;
  description?: string;
  metadata: Metadata;
  paymentMethod?: string;
  /** `payment_method_types` (older API versions) or `allowed_payment_method_types`. */
  paymentMethodTypes?: string[];
  allowedTypesParam?: boolean;
  automaticPaymentMethods?: PaymentIntent['automatic_payment_methods'];
  receiptEmail?: string;
}

/** The admin view of one intent: the object plus what the emulator knows about it. */
export type IntentAudit = PaymentIntent & {
  amount_refunded: number;
  refunds: Refund[];
  charges: ChargeRecord[];
  operations: OperationRecord[];
};

export class EmulatorState {
  readonly paymentMethods = new PaymentMethods();
  private readonly intents = new Map<string, IntentRecord>();
  private readonly refunds = new Map<string, { account: string; refund: Refund }>();
  private readonly charges = new Map<string, IntentRecord>();

  insertIntent(info: RequestInfo, input: NewIntent): IntentRecord {
    const id = newId('pi');
    const intent: PaymentIntent = {
      id,
      object: 'payment_intent',
      allowed_payment_method_types: input.allowedTypesParam ? (input.paymentMethodTypes ?? null) : null,
      amount: input.amount,
      amount_capturable: 0,
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: input.automaticPaymentMethods ?? null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: input.captureMethod,
      client_secret: `${id}_secret_${randomToken(25)}`,
      confirmation_method: 'automatic',
      created: unixNow(),
      currency: input.currency,
      customer: input.customer ?? null,
      customer_account: null,
      description: input.description ?? null,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: input.metadata,
      next_action: null,
      on_behalf_of: null,
      payment_method: input.paymentMethod ?? null,
      payment_method_configuration_details: null,
      payment_method_options: {},
      payment_method_types: input.paymentMethodTypes ?? ['card'],
      payment_record: null,
      processing: null,
      receipt_email: input.receiptEmail ?? null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: input.paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    const record: IntentRecord = { account: info.account, intent, charges: [], refunds: [], operations: [] };
    this.intents.set(id, record);
    this.log(record, 'create', 'succeeded', info);
    return record;
  }

  addCharge(record: IntentRecord, charge: Omit<ChargeRecord, 'id' | 'paymentIntent'>): ChargeRecord {
    const full: ChargeRecord = { id: newId('ch'), paymentIntent: record.intent.id, ...charge };
    record.charges.push(full);
    this.charges.set(full.id, record);
    record.intent.latest_charge = full.id;
    return full;
  }

  addRefund(record: IntentRecord, info: RequestInfo, fields: Pick<Refund, 'amount' | 'metadata' | 'reason'>) {
    const charge = this.latestCharge(record);
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      amount: fields.amount,
      balance_transaction: newId('txn'),
      charge: charge?.id ?? '',
      created: unixNow(),
      currency: record.intent.currency,
      customer: record.intent.customer,
      customer_account: null,
      destination_details: { type: 'card', card: { type: 'refund' } },
      metadata: fields.metadata,
      payment_intent: record.intent.id,
      payment_method: record.intent.payment_method,
      reason: fields.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    if (charge) charge.amountRefunded += fields.amount;
    record.refunds.push(refund);
    this.refunds.set(refund.id, { account: info.account, refund });
    this.log(record, 'refund', 'succeeded', info);
    return refund;
  }

  log(record: IntentRecord, operation: Operation, outcome: OperationRecord['outcome'], info: RequestInfo) {
    record.operations.push({
      operation,
      outcome,
      at: new Date().toISOString(),
      requestId: info.requestId,
      idempotencyKey: info.idempotencyKey,
    });
  }

  latestCharge(record: IntentRecord): ChargeRecord | undefined {
    return record.charges.find((c) => c.id === record.intent.latest_charge);
  }

  amountRefunded(record: IntentRecord): number {
    return record.refunds.reduce((sum, r) => sum + r.amount, 0);
  }

  intent(account: string, id: string, param = 'intent', status: 400 | 404 = 404): IntentRecord {
    const record = this.intents.get(id);
    if (!record || record.account !== account) throw resourceMissing('payment_intent', id, param, status);
    return record;
  }

  intentOfCharge(account: string, chargeId: string): IntentRecord {
    const record = this.charges.get(chargeId);
    if (!record || record.account !== account) throw resourceMissing('charge', chargeId, 'charge');
    return record;
  }

  refund(account: string, id: string): Refund {
    const found = this.refunds.get(id);
    if (!found || found.account !== account) throw resourceMissing('refund', id, 'id', 404);
    return found.refund;
  }

  /** Newest first, with Stripe's cursor parameters and `created` / `customer` filters. */
  listIntents(account: string, query: Page & { created?: Range; customer?: string }): List<PaymentIntent> {
    const all = [...this.intents.values()]
      .filter(
        (r) =>
          r.account === account &&
          (!query.customer || r.intent.customer === query.customer) &&
          inRange(r.intent.created, query.created),
      )
      .map((r) => r.intent);
    return listPage(all, query, 'payment_intent', '/v1/payment_intents');
  }

  /** Newest first, filtered like Stripe's by `payment_intent`, `charge` and `created`. */
  listRefunds(
    account: string,
    query: Page & { created?: Range; paymentIntent?: string; charge?: string },
  ): List<Refund> {
    const all = [...this.refunds.values()]
      .filter(
        ({ account: owner, refund }) =>
          owner === account &&
          (!query.paymentIntent || refund.payment_intent === query.paymentIntent) &&
          (!query.charge || refund.charge === query.charge) &&
          inRange(refund.created, query.created),
      )
      .map(({ refund }) => refund);
    return listPage(all, query, 'refund', '/v1/refunds');
  }

  audit(record: IntentRecord): IntentAudit {
    return structuredClone({
      ...record.intent,
      amount_refunded: this.amountRefunded(record),
      refunds: record.refunds,
      charges: record.charges,
      operations: record.operations,
    });
  }

  intentsForOrder(orderId: string): IntentAudit[] {
    return [...this.intents.values()]
      .filter((r) => r.intent.metadata.orderId === orderId)
      .map((r) => this.audit(r));
  }

  stats() {
    const byStatus: Record<string, number> = {};
    const byCurrency: Record<string, { captured: number; refunded: number }> = {};
    let captured = 0;
    let refunded = 0;
    for (const record of this.intents.values()) {
      const { status, currency, amount_received } = record.intent;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const refundedHere = this.amountRefunded(record);
      const totals = (byCurrency[currency] ??= { captured: 0, refunded: 0 });
      totals.captured += amount_received;
      totals.refunded += refundedHere;
      captured += amount_received;
      refunded += refundedHere;
    }
    return {
      payment_intents: { total: this.intents.size, by_status: byStatus },
      refunds: { total: this.refunds.size },
      amount_captured: captured,
      amount_refunded: refunded,
      by_currency: byCurrency,
    };
  }
}

/**
 * One page of `oldestFirst` (insertion order), newest first. The cursor must be in the filtered
 * list, as on Stripe, where a cursor from another filter or account is `resource_missing`.
 */
function listPage<T extends { id: string }>(
  oldestFirst: T[],
  page: Page,
  kind: string,
  url: string,
): List<T> {
  const all = [...oldestFirst].reverse();
  let from = 0;
  let to = all.length;
  if (page.startingAfter) {
    const index = all.findIndex((i) => i.id === page.startingAfter);
    if (index < 0) throw resourceMissing(kind, page.startingAfter, 'starting_after');
    from = index + 1;
  } else if (page.endingBefore) {
    const index = all.findIndex((i) => i.id === page.endingBefore);
    if (index < 0) throw resourceMissing(kind, page.endingBefore, 'ending_before');
    to = index;
    from = Math.max(0, index - page.limit);
  }
  const data = all.slice(from, Math.min(to, from + page.limit)).map((item) => structuredClone(item));
  const hasMore = page.endingBefore ? from > 0 : from + data.length < to;
  return { object: 'list', data, has_more: hasMore, url };
}
