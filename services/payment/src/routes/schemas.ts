// Request shapes. Money is integer minor units; currency a lowercase ISO 4217 code.
import { z } from 'zod';
import { ValidationError } from '@orders/platform';
import type { Request } from 'express';

const id = z.string().trim().min(1).max(200);

export const orderParams = z.object({ orderId: id });

export const refundParams = z.object({ orderId: id, key: z.string().min(1).max(255) });

/** `GET /v1/refunds`: only pending refunds are listed (settled ones are on their payment). */
export const refundsQuery = z.object({
  status: z.literal('pending').default('pending'),
  olderThanSeconds: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const authorizeBody = z.object({
  orderId: id,
  customerId: id,
  amount: z.number().int().positive().max(99_999_999),
  currency: z.string().regex(/^[a-z]{3}$/, 'a lowercase ISO 4217 code such as "eur"'),
  paymentMethod: z.string().min(1).max(255),
});

export const refundBody = z
  .object({
    amount: z.number().int().positive().max(99_999_999).optional(),
    reason: z.string().max(500).optional(),
  })
  // Capture and void carry no body; a refund may come without one (a full refund).
  .default({});

/** Every mutating call must name its idempotency key; it is passed on to Stripe. */
export function idempotencyKey(req: Request): string {
  const key = req.header('idempotency-key');
  if (key === undefined || key.trim() === '')
    throw new ValidationError([
      { field: 'Idempotency-Key', message: 'header is required on every mutating request' },
    ]);
  if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key))
    throw new ValidationError([
      { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters without spaces' },
    ]);
  return key;
}
