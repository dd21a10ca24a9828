// Order domain events: the envelope and every event's data, validated by the producer (the
// orchestrator) before sending and by every consumer on receipt. Event ids are the order id
// plus a per-order sequence number, so a re-sent event has the same id and consumers drop it.
import { z } from 'zod';

export const ORDER_EVENTS_TOPIC = 'orders.events';
export const ORDER_EVENTS_DLQ_TOPIC = 'orders.events.dlq';
export const EVENT_SCHEMA_VERSION = 1;

const money = z.number().int().nonnegative();
const customer = z.object({ id: z.string().min(1), email: z.email(), name: z.string().optional() });
const item = z.object({
  sku: z.string().min(1),
  name: z.string().optional(),
  quantity: z.number().int().positive(),
  unitPrice: money,
});

const dataSchemas = {
  OrderPlaced: z.object({
    customer,
    items: z.array(item).min(1),
    total: money,
    currency: z.string().length(3),
  }),
  OrderConfirmed: z.object({ customer, total: money, currency: z.string().length(3) }),
  PaymentCaptured: z.object({
    customer,
    amount: money,
    currency: z.string().length(3),
    paymentId: z.string(),
  }),
  OrderCompleted: z.object({
    customer,
    items: z.array(item).min(1),
    total: money,
    currency: z.string().length(3),
  }),
  OrderCancelled: z.object({
    customer,
    reason: z.string(),
    actor: z.string(),
    /** Undo steps that ran, in the order they ran. */
    compensations: z.array(z.string()),
    /** Everything refunded for the order, earlier refunds included. */
    refunded: money,
    /** What this cancellation refunded (absent in events from sagas before it was added). */
    refundedByCancellation: money.optional(),
    currency: z.string().length(3),
  }),
  OrderRefunded: z.object({
    customer,
    refundId: z.string(),
    amount: money,
    totalRefunded: money,
    currency: z.string().length(3),
    reason: z.string(),
    actor: z.string(),
  }),
  OrderFailed: z.object({
    customer,
    failedStep: z.string(),
    code: z.string(),
    reason: z.string(),
    compensations: z.array(z.string()),
  }),
} as const;

export type OrderEventType = keyof typeof dataSchemas;
export type OrderEventData<T extends OrderEventType> = z.infer<(typeof dataSchemas)[T]>;

const envelopeBase = {
  id: z.string().min(1),
  orderId: z.string().min(1),
  sequence: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  /** W3C traceparent of the saga span that emitted the event (also sent as a Kafka header). */
  traceparent: z.string().optional(),
};

const event = <T extends OrderEventType>(type: T) =>
  z.object({ ...envelopeBase, type: z.literal(type), data: dataSchemas[type] });

export const orderEventSchema = z.discriminatedUnion('type', [
  event('OrderPlaced'),
  event('OrderConfirmed'),
  event('PaymentCaptured'),
  event('OrderCompleted'),
  event('OrderCancelled'),
  event('OrderRefunded'),
  event('OrderFailed'),
]);

export type OrderEvent = z.infer<typeof orderEventSchema>;

export const eventId = (orderId: string, sequence: number) => `${orderId}:${sequence}`;

/** Validates an event; throws a ZodError naming the bad fields. */
export function parseOrderEvent(input: unknown): OrderEvent {
  return orderEventSchema.parse(input);
}
