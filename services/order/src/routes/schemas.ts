// The public API's request and response shapes, defined once: requests are validated with them
// and the OpenAPI document (/openapi.json) is generated from them.
import { z } from 'zod';

const sku = z.string().trim().min(1).max(64).describe('Catalogue SKU, e.g. MUG-LOGO');
const money = z.number().int().nonnegative().describe('Amount in minor units (cents)');
const itemQuantity = z.object({ sku, quantity: z.number().int().min(1).max(1000) }).strict();
const uniqueSkus = (items: { sku: string }[]) => new Set(items.map((i) => i.sku)).size === items.length;

export const placeOrderBody = z
  .object({
    items: z.array(itemQuantity).min(1).max(50).refine(uniqueSkus, 'each sku may appear only once'),
    paymentMethod: z.string().trim().min(1).max(100).describe('A Stripe PaymentMethod id, e.g. pm_card_visa'),
  })
  .strict()
  .meta({ id: 'PlaceOrderRequest' });

const returnedItems = z
  .array(itemQuantity)
  .min(1)
  .max(50)
  .refine(uniqueSkus, 'each sku may appear only once');

export const cancelOrderBody = z
  .object({
    reason: z.string().trim().min(1).max(500),
    items: returnedItems
      .optional()
      .describe(
        'Support only, on a fulfilled order: the items the customer sent back. Only these return to stock; ' +
          'the money still captured is refunded in full.',
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
    reason: z.string().trim().min(1).max(500),
    items: returnedItems
      .optional()
      .describe(
        'Items the customer sent back: their stock is returned to inventory once the money has moved. ' +
          'Omit for a goodwill refund.',
      ),
  })
  .strict()
  .meta({ id: 'RefundOrderRequest' });

export const orderStatus = z.enum(['PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED', 'CANCELLED']);

export const listOrdersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(500).optional().describe('Opaque cursor from a previous page'),
    status: orderStatus.optional(),
    customerId: z.string().min(1).max(100).optional().describe('Support only: one customer’s orders'),
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
      .describe('Live state from the running saga; null when it cannot answer right now'),
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
