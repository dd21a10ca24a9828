// Request shapes. Field names in validation errors follow these schemas' paths.
import { z } from 'zod';

export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');

export const orderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][\w.:-]{0,127}$/, 'must be 1-128 letters, digits, "_", ".", ":" or "-"');

const itemSchema = z.object({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(1000),
});

const itemsSchema = z
  .array(itemSchema)
  .min(1)
  .max(50)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.sku))
        ctx.addIssue({ code: 'custom', message: `duplicate sku ${item.sku}`, path: [i, 'sku'] });
      seen.add(item.sku);
    });
  });

export const reserveBodySchema = z.object({
  orderId: orderIdSchema,
  items: itemsSchema,
  ttlSeconds: z.number().int().min(1).max(86_400).optional(),
});

export const returnBodySchema = z.object({ items: itemsSchema.optional() });

export const orderIdParamsSchema = z.object({ orderId: orderIdSchema });

export const skuParamsSchema = z.object({ sku: skuSchema });

export const productBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  unitPrice: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO 4217 code such as "eur"'),
  onHand: z.number().int().min(0).max(1_000_000_000),
  maxPerOrder: z.number().int().min(1).max(1_000_000).default(100),
});

export const stockAdjustmentBodySchema = z.object({
  delta: z
    .number()
    .int()
    .min(-1_000_000_000)
    .max(1_000_000_000)
    .refine((d) => d !== 0, 'must not be 0'),
  reason: z.string().trim().min(1).max(500),
});

// Deliberately lenient about each SKU's shape: one that cannot exist is simply absent from
// the answer, so a caller validating an order learns "unknown SKU", not "bad request".
export const productsQuerySchema = z.object({
  skus: z
    .string()
    .transform((value) => [
      ...new Set(
        value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(200)).max(500, 'at most 500 skus'))
    .optional(),
});

/** `Idempotency-Key`: opaque, printable, bounded. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 printable ASCII characters');
