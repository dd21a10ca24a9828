// The support console's reads on the public API (support role): an order's saga timeline and
// the order counts per status. Mounted after `authenticate`.
import { Router } from 'express';
import { parseInput, type Logger } from '@orders/platform';
import { principalOf, requireRole } from '../auth/middleware';
import type { OrderCountsReader } from '../data-access/order-counts';
import type { OrdersRepository } from '../data-access/orders-repository';
import { orderTimeline, type TimelineSources } from '../domain/order-timeline';
import { findVisibleOrder } from '../domain/support-requests';
import type { OrderCounts } from './console-schemas';
import { orderCountsQuery } from './console-schemas';
import { orderIdParams } from './schemas';

export interface ConsoleRoutesDeps extends Omit<TimelineSources, 'onSourceError'> {
  orders: OrdersRepository;
  counts: OrderCountsReader;
  logger: Logger;
}

export function consoleRoutes(deps: ConsoleRoutesDeps): Router {
  const router = Router();
  const sources: TimelineSources = {
    ...deps,
    onSourceError: (source, err) =>
      deps.logger.warn({ err, source }, 'timeline source unavailable; answering without it'),
  };

  router.get('/v1/orders/:id/timeline', requireRole('support'), async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params);
    const order = await findVisibleOrder(deps.orders, principalOf(res), id);
    res.setHeader('cache-control', 'no-store');
    res.json(await orderTimeline(sources, order));
  });

  router.get('/v1/order-counts', requireRole('support'), async (req, res) => {
    const query = parseInput(orderCountsQuery, req.query);
    const byStatus = await deps.counts({
      customerId: query.customerId,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    });
    const body: OrderCounts = { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus };
    res.setHeader('cache-control', 'no-store');
    res.json(body);
  });

  return router;
}
