// Routes the orchestrator calls as the saga's `create` participant. Not part of the public
// API: expose them only inside the cluster (the Helm chart's NetworkPolicy does).
import { Router, type Request, type Response } from 'express';
import { parseInput } from '@orders/platform';
import { z } from 'zod';
import type { OrdersRepository } from '../data-access/orders-repository';
import { cancelOrderRecord, confirmOrder, recordOutcome } from '../domain/saga-participation';
import { toHttpError } from './http-errors';

const params = z.object({ id: z.uuid() });
const failure = z.object({
  step: z.enum(['validate', 'reserve', 'authorize', 'create', 'capture', 'commit']),
  code: z.string(),
  reason: z.string(),
});
const outcomeBody = z.object({
  status: z.enum(['COMPLETED', 'FAILED', 'CANCELLED']),
  failure: failure.nullable(),
  compensations: z.array(z.string()),
  refunded: z.number().int().nonnegative().default(0),
  reason: z.string().max(1000).optional(),
});

export function internalRoutes(orders: OrdersRepository): Router {
  const router = Router();
  const handle =
    (action: (id: string, body: unknown) => Promise<{ id: string; status: string }>) =>
    async (req: Request, res: Response) => {
      const { id } = parseInput(params, req.params);
      try {
        const order = await action(id, req.body);
        res.json({ orderId: order.id, status: order.status });
      } catch (err) {
        throw toHttpError(err);
      }
    };

  router.post(
    '/internal/v1/orders/:id/confirm',
    handle((id) => confirmOrder(orders, id)),
  );
  router.post(
    '/internal/v1/orders/:id/cancel-record',
    handle((id, body) =>
      cancelOrderRecord(orders, id, parseInput(z.object({ reason: z.string().max(1000) }), body).reason),
    ),
  );
  router.post(
    '/internal/v1/orders/:id/outcome',
    handle((id, body) => recordOutcome(orders, id, parseInput(outcomeBody, body))),
  );
  return router;
}
