// What the audit reads, one shape per source, and what it reports. Collectors fill these from
// the real stores; the checks are pure functions over them, so they are tested with fixtures.

export const TERMINAL_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = 'PENDING' | 'CONFIRMED' | (typeof TERMINAL_STATUSES)[number];
export const isTerminal = (status: OrderStatus) => (TERMINAL_STATUSES as readonly string[]).includes(status);

/** The order service's record (orders table). */
export interface OrderRecord {
  id: string;
  customerId: string;
  customerEmail: string;
  status: OrderStatus;
  total: number;
  refunded: number;
  currency: string;
  items: { sku: string; quantity: number }[];
  createdAt: Date;
  updatedAt: Date;
  sagaStartedAt: Date | null;
  statusReason: string | null;
}

/** The payment service's record (payments table). */
export interface PaymentRecord {
  orderId: string;
  paymentIntentId: string | null;
  status: string;
  amount: number;
  captured: number;
  refunded: number;
}

/** A refund as the payment service keeps it; `refundId` null means Stripe's answer is not known yet. */
export interface RefundRecord {
  idempotencyKey: string;
  orderId: string;
  refundId: string | null;
  amount: number;
  createdAt: Date;
}

export interface ProductStock {
  sku: string;
  onHand: number;
  reserved: number;
}

export interface StockAdjustmentLine {
  sku: string;
  delta: number;
  createdAt: Date;
}

/** One line of a reservation (reservations joined with reservation_items). */
export interface ReservationLine {
  orderId: string;
  status: string;
  createdAt: Date;
  sku: string;
  quantity: number;
  returnedQuantity: number;
}

export interface StripeIntent {
  id: string;
  orderId: string | null;
  status: string;
  amount: number;
  amountReceived: number;
  created: number;
}

export interface StripeRefund {
  id: string;
  paymentIntentId: string | null;
  amount: number;
  status: string | null;
  created: number;
  refundKey: string | null;
}

/** A message of the events topic, parsed when it is a valid order event. */
export interface TopicMessage {
  partition: number;
  offset: string;
  /** The order it names (from the parsed event, or the raw JSON when the event is invalid). */
  orderId: string | null;
  event: {
    id: string;
    type: string;
    sequence: number;
    orderId: string;
    /** The event without its trace context, as canonical JSON: what "the same payload" means. */
    payload: string;
  } | null;
  /** Why the message is not a valid event. */
  invalid?: string;
}

/** An e-mail in the mail catcher, with the headers that name its order and event. */
export interface MailMessage {
  id: string;
  messageId: string;
  to: string[];
  subject: string;
  created: string;
  orderId: string | null;
  eventId: string | null;
  eventType: string | null;
}

export interface AuditData {
  /** When the read began; ages are measured from it. */
  now: Date;
  orders: OrderRecord[];
  payments: PaymentRecord[];
  refunds: RefundRecord[];
  products: ProductStock[];
  reservations: ReservationLine[];
  /** Stock received or written off (POST /v1/products/:sku/stock-adjustments). */
  stockAdjustments: StockAdjustmentLine[];
  intents: StripeIntent[];
  stripeRefunds: StripeRefund[];
  messages: TopicMessage[];
  mails: MailMessage[];
}

export const CHECK_NAMES = [
  'terminal',
  'stock',
  'money',
  'one-payment-intent',
  'no-double-refund',
  'events',
  'emails',
  'pending-refunds',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface Violation {
  check: CheckName;
  orderId?: string;
  sku?: string;
  detail: string;
}

export interface CheckResult {
  check: CheckName;
  /** How many things (orders, SKUs, events ...) the check looked at. */
  checked: number;
  violations: Violation[];
}

export interface InFlightOrder {
  orderId: string;
  status: OrderStatus;
  ageSeconds: number;
  sagaStarted: boolean;
  why: string;
}

/** What the checks are told beyond the data. */
export interface CheckSettings {
  since: Date | null;
  pendingRefundMinutes: number;
  requireTerminal: boolean;
  stockBaseline: Record<string, number> | null;
}
