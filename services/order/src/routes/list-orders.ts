// GET /v1/orders: one page of orders, newest first, with an opaque cursor to the next page.
// Mounted after authenticate(): customers see only their own orders, support sees everyone's.
import { Router } from 'express';
import { ValidationError, parseInput } from '@orders/platform';
import type { z } from 'zod';
import { principalOf } from '../auth/middleware';
import type { ListedOrder, OrderListPosition, OrdersRepository } from '../data-access/orders-repository';
import { visibleCustomer } from '../domain/order-visibility';
import { CURSOR_PATTERN, listOrdersQuery, type orderListResponse } from './schemas';

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

// The cursor is the last row's exact position: its creation time in microseconds (a JS Date
// would round them away) and its id. Any cursor of that form is a position, so the document's
// pattern says exactly what is accepted; it is not signed because it only narrows a query the
// caller may run anyway.
export function encodeCursor(position: OrderListPosition): string {
  const [seconds = '', fraction = ''] = position.createdAt.replace(/Z$/, '').split('.');
  const micros = BigInt(Date.parse(`${seconds}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return `${micros}_${position.id}`;
}

export function decodeCursor(cursor: string): OrderListPosition {
  const [micros, id] = cursor.split('_');
  if (!micros || !id || !CURSOR_PATTERN.test(cursor))
    throw new ValidationError([{ field: 'cursor', message: 'not a cursor this API returns' }]);
  const total = BigInt(micros);
  const seconds = new Date(Number(total / 1_000_000n) * 1000).toISOString().slice(0, 19);
  return { createdAt: `${seconds}.${String(total % 1_000_000n).padStart(6, '0')}Z`, id };
}
