// The public API's request and response shapes, defined once: requests are validated with them
// and the OpenAPI document (/openapi.json) is generated from them. Request strings say in the
// document everything the server checks (patterns, lengths in code points, no blank text), so a
// request generated from the document is never refused as malformed.
import { z } from 'zod';
import { text } from '@orders/platform';
import { ORDER_LIMITS } from '@orders/orchestrator/shared';

/** The catalogue's SKU format (inventory's own rule): a SKU outside it cannot exist. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const sku = z
  .string()
  .regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('Catalogue SKU, e.g. MUG-LOGO');
const money = z.number().int().nonnegative().describe('Amount in minor units (cents)');
const itemQuantity = z.object({ sku, quantity: z.number().int().min(1).max(1000) }).strict();

/**
 * Lines naming the same SKU are one line with their quantities added: a JSON Schema cannot say
 * "unique by sku", so the server accepts what the document allows rather than refusing it.
 */
const itemLines = z
  .array(itemQuantity)
  .min(1)
  .max(ORDER_LIMITS.maxLines)
  .transform((items) => {
    const bySku = new Map<string, number>();
    for (const { sku, quantity } of items) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
    return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
  });
const reason = text({ max: 500, blank: false, trim: true });

export const placeOrderBody = z
  .object({
    items: itemLines.describe('Lines that name the same SKU are added together.'),
    paymentMethod: text({ max: 100, blank: false, trim: true }).describe(
      'A Stripe PaymentMethod id, e.g. pm_card_visa',
    ),
  })
  .strict()
  .meta({ id: 'PlaceOrderRequest' });

export const cancelOrderBody = z
  .object({
    reason,
    items: itemLines
      .optional()
      .describe(
        'Support only, on a fulfilled order: the items the customer sent back. Only these return to stock; ' +
          'the money still captured is refunded in full. Lines that name the same SKU are added together.',
      ),
  })
  .strict()
  .meta({ id: 'CancelOrderRequest' });

export const refundOrderBody = z
  .object({
    amount: z
      .number()
      .int()
      .positive()
      .describe('Amount to refund in minor units; at most what is captured and not yet refunded'),
    reason,
    items: itemLines
      .optional()
      .describe(
        'Items the customer sent back: their stock is returned to inventory once the money has moved. ' +
          'Omit for a goodwill refund. Lines that name the same SKU are added together.',
      ),
  })
  .strict()
  .meta({ id: 'RefundOrderRequest' });

/**
 * A page position: the last row's creation time in microseconds since the epoch and its id.
 * Every string of this form is a position (it only narrows the query), so any the document
 * allows is accepted.
 */
export const CURSOR_PATTERN = /^[0-9]{1,16}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `Idempotency-Key`: opaque, printable ASCII without spaces, as the payment provider takes keys. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export const orderStatus = z.enum(['PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED', 'CANCELLED']);

export const listOrdersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .regex(CURSOR_PATTERN, 'not a cursor this API returns')
      .optional()
      .describe('`nextCursor` of a previous page'),
    status: orderStatus.optional(),
    customerId: text({ min: 1, max: 100 }).optional().describe('Support only: one customer’s orders'),
    from: z.iso.datetime({ offset: true }).optional().describe('Created at or after'),
    to: z.iso.datetime({ offset: true }).optional().describe('Created before'),
  })
  .strict();

export const orderIdParams = z.object({ id: z.uuid() });

const orderLine = z.object({
  sku,
  name: z.string().optional(),
  quantity: z.number().int(),
  unitPrice: money,
});
const failure = z.object({ step: z.string(), code: z.string(), reason: z.string() });

export const placeOrderResponse = z
  .object({ orderId: z.uuid(), status: orderStatus, total: money, currency: z.string(), statusUrl: z.url() })
  .meta({ id: 'PlaceOrderResponse' });

export const orderSummary = z
  .object({
    orderId: z.uuid(),
    customerId: z.string(),
    status: orderStatus,
    total: money,
    currency: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OrderSummary' });

export const orderListResponse = z
  .object({ items: z.array(orderSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'OrderList' });

export const orderView = z
  .object({
    orderId: z.uuid(),
    status: orderStatus,
    statusReason: z.string().nullable(),
    customer: z.object({ id: z.string(), email: z.email(), name: z.string().optional() }),
    items: z.array(orderLine),
    currency: z.string(),
    total: money,
    refunded: money,
    failure: failure.nullable(),
    compensations: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    saga: z
      .object({
        status: z.string(),
        currentStep: z.string().nullable(),
        stepsCompleted: z.array(z.string()),
        compensations: z.array(z.object({ name: z.string(), step: z.string(), status: z.string() })),
        failure: failure.nullable(),
        amounts: z.object({
          currency: z.string(),
          total: money,
          authorized: money,
          captured: money,
          refunded: money,
        }),
        refunds: z.array(
          z.object({
            refundId: z.string(),
            amount: money,
            status: z.enum(['pending', 'done', 'failed']),
            reason: z.string(),
            actor: z.string(),
          }),
        ),
        refundWindowEndsAt: z.iso
          .datetime()
          .nullable()
          .describe('Until when a completed order accepts refunds and cancellation'),
      })
      .nullable()
      .describe(
        "The saga's state: as it last reported it once the order has settled, live while it moves; null when it cannot be known right now",
      ),
  })
  .meta({ id: 'Order' });

export const cancelOrderResponse = z
  .object({ orderId: z.uuid(), status: orderStatus, refunded: money })
  .meta({ id: 'CancelOrderResponse' });

export const refundResponse = z
  .object({ orderId: z.uuid(), refundId: z.string(), amount: money, totalRefunded: money, captured: money })
  .meta({ id: 'Refund' });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().optional().describe('Machine-readable cause, e.g. OUT_OF_STOCK'),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
