// GET /v1/orders: one page of orders, newest first, with an opaque cursor to the next page.
// Mounted after authenticate(): customers see only their own orders, support sees everyone's.
import { Router } from 'express';
import { AppError, ValidationError, parseInput } from '@orders/platform';
import { z } from 'zod';
import { principalOf } from '../auth/middleware';
import type { Principal } from '../auth/tokens';
import type { ListedOrder, OrderListPosition, OrdersRepository } from '../data-access/orders-repository';
import { listOrdersQuery, type orderListResponse } from './schemas';

type OrderList = z.infer<typeof orderListResponse>;

export function listOrdersRoute(orders: OrdersRepository): Router {
  const router = Router();
  router.get('/v1/orders', async (req, res) => {
    const query = parseInput(listOrdersQuery, req.query);
    const customerId = visibleCustomer(principalOf(res), query.customerId);
    const rows = await orders.list(
      {
        customerId,
        status: query.status,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
      },
      { limit: query.limit, after: query.cursor === undefined ? undefined : decodeCursor(query.cursor) },
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const body: OrderList = {
      items: page.map(presentSummary),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.position) : null,
    };
    res.json(body);
  });
  return router;
}

/** The customer whose orders the caller may list: a customer only their own. */
function visibleCustomer(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.role === 'support') return requested;
  if (requested !== undefined && requested !== principal.subject)
    throw new AppError(403, 'Forbidden', 'customers may list only their own orders', { code: 'FORBIDDEN' });
  return principal.subject;
}

function presentSummary(order: ListedOrder): OrderList['items'][number] {
  return {
    orderId: order.id,
    customerId: order.customer.id,
    status: order.status,
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

// The cursor is the last row's exact position. It is opaque to clients (base64url JSON) so its
// shape can change; it is not signed because it only narrows a query the caller may run anyway.
const cursorSchema = z.object({
  c: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/),
  i: z.uuid(),
});

export function encodeCursor(position: OrderListPosition): string {
  return Buffer.from(JSON.stringify({ c: position.createdAt, i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string): OrderListPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || !isRealInstant(parsed.data.c))
    throw new ValidationError([{ field: 'cursor', message: 'not a cursor this API returned' }]);
  return { createdAt: parsed.data.c, id: parsed.data.i };
}

/** Rejects dates that match the pattern but do not exist (2024-02-30), which PostgreSQL would refuse. */
function isRealInstant(iso: string): boolean {
  const ms = Date.parse(iso);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === iso.slice(0, 19);
}
