// Routes the orchestrator calls as the saga's `create` participant, and to keep the order
// record's copy of the saga's state current. Not part of the public API: expose them only inside
// the cluster (the Helm chart's NetworkPolicy does).
import { Router, type Request, type Response } from 'express';
import { parseInput } from '@orders/platform';
import { z } from 'zod';
import type { OrdersRepository } from '../data-access/orders-repository';
import {
  COMPENSATION_NAMES,
  ORDER_STATUSES,
  SAGA_OUTCOME_STATUSES,
  SAGA_STEPS,
  type OrderSagaState,
} from '@orders/orchestrator/shared';
import {
  cancelOrderRecord,
  confirmOrder,
  recordOutcome,
  recordSagaState,
  type ReceivedOutcome,
} from '../domain/saga-participation';

const params = z.object({ id: z.uuid() });
const step = z.enum(SAGA_STEPS);
const failure = z.object({ step, code: z.string(), reason: z.string() });
const money = z.number().int().nonnegative();
const items = z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })).optional();
/** The saga's state as it reports it (OrderSagaState): stored, and read back by GET /v1/orders/:id. */
const sagaState = z.object({
  orderId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  currentStep: step.nullable(),
  stepsCompleted: z.array(step),
  compensations: z.array(
    z.object({
      name: z.enum(COMPENSATION_NAMES),
      step,
      status: z.enum(['running', 'done']),
    }),
  ),
  failure: failure.nullable(),
  amounts: z.object({
    currency: z.string(),
    total: money,
    authorized: money,
    captured: money,
    refunded: money,
  }),
  cancellation: z.object({ reason: z.string(), actor: z.string(), items }).nullable(),
  refunds: z.array(
    z.object({
      refundId: z.string(),
      amount: money,
      reason: z.string(),
      actor: z.string(),
      items,
      status: z.enum(['pending', 'done', 'failed']),
      failure: z.string().optional(),
    }),
  ),
  refundWindowEndsAt: z.iso.datetime().nullable(),
  refundWindowClosed: z.boolean().optional(),
  revision: z.number().int().nonnegative(),
}) satisfies z.ZodType<OrderSagaState>;
/** The saga's outcome as recordOutcome sends it (ReceivedOutcome: the contract's SagaOutcome). */
const outcomeBody = z.object({
  status: z.enum(SAGA_OUTCOME_STATUSES),
  failure: failure.nullable(),
  compensations: z.array(z.string()),
  refunded: z.number().int().nonnegative().default(0),
  reason: z.string().max(1000).optional(),
  // A state this service cannot read is dropped, never a reason to refuse the outcome (the saga
  // would retry it for good): without it the record is not settled and reads query the saga.
  saga: sagaState.optional().catch(undefined),
}) satisfies z.ZodType<ReceivedOutcome>;

export function internalRoutes(orders: OrdersRepository): Router {
  const router = Router();
  const answerWithOrder =
    (action: (id: string, body: unknown) => Promise<{ id: string; status: string; updatedAt: Date }>) =>
    async (req: Request, res: Response) => {
      const { id } = parseInput(params, req.params);
      const order = await action(id, req.body);
      // updatedAt: when the record last moved, the same in every answer to a repeated call.
      res.json({ orderId: order.id, status: order.status, updatedAt: order.updatedAt.toISOString() });
    };

  router.post(
    '/internal/v1/orders/:id/confirm',
    answerWithOrder((id) => confirmOrder(orders, id)),
  );
  router.post(
    '/internal/v1/orders/:id/cancel-record',
    answerWithOrder((id, body) =>
      cancelOrderRecord(orders, id, parseInput(z.object({ reason: z.string().max(1000) }), body).reason),
    ),
  );
  router.post(
    '/internal/v1/orders/:id/outcome',
    answerWithOrder((id, body) => recordOutcome(orders, id, parseInput(outcomeBody, body))),
  );
  router.post(
    '/internal/v1/orders/:id/saga-state',
    answerWithOrder((id, body) => recordSagaState(orders, id, parseInput(sagaState, body))),
  );
  return router;
}
