// Public order routes (mounted after `authenticate`): place an order (202 + status URL), follow
// it, and the support operations — cancel (the customer who owns it, or support) and refund
// (support). Thin: parse, call the use case, map the result; domain errors are presented by the platform's error middleware.
import { Router, type Request } from 'express';
import { AppError, ValidationError, parseInput } from '@orders/platform';
import { principalOf, requireRole } from '../auth/middleware';
import type { OrdersRepository } from '../data-access/orders-repository';
import type { Catalogue } from '../domain/catalogue';
import type { Order } from '../domain/order';
import type { OrderSagaGateway } from '../domain/order-saga-gateway';
import type { OrderSagaState } from '@orders/orchestrator/shared';
import type { SagaReads } from '../domain/order-reads';
import { placeOrder } from '../domain/place-order';
import type { SagaStarter } from '../saga-starter';
import type { PlacementRateLimit } from './placement-rate-limit';
import { cancelOrder, findVisibleOrder, refundOrder } from '../domain/support-requests';
import {
  IDEMPOTENCY_KEY_PATTERN,
  cancelOrderBody,
  orderIdParams,
  placeOrderBody,
  refundOrderBody,
} from './schemas';

export interface OrderRoutesDeps {
  orders: OrdersRepository;
  catalogue: Catalogue;
  sagas: OrderSagaGateway;
  sagaStarter: SagaStarter;
  publicBaseUrl: string;
  /** The saga state a read answers with: the order record's, or the saga's own when it moves. */
  sagaReads: SagaReads;
  /** Per-customer limit on placements (429 with Retry-After), shared by the replicas. */
  placementLimit: PlacementRateLimit;
}

export function orderRoutes(deps: OrderRoutesDeps): Router {
  const router = Router();
  const statusUrl = (req: Request, id: string) =>
    `${deps.publicBaseUrl || `${req.protocol}://${req.get('host') ?? 'localhost'}`}/v1/orders/${id}`;

  router.post('/v1/orders', requireRole('customer'), async (req, res) => {
    // Everything that can make the request malformed is checked before the rate limit is
    // consulted: a 400 never uses up the customer's placements.
    const principal = principalOf(res);
    const idempotencyKey = idempotencyKeyOf(req);
    const body = parseInput(placeOrderBody, req.body);
    if (!principal.email)
      throw new AppError(403, 'Forbidden', 'a customer token needs an email claim to place orders', {
        code: 'FORBIDDEN',
      });
    const customer = {
      id: principal.subject,
      email: principal.email,
      ...(principal.name ? { name: principal.name } : {}),
    };
    const { order, replayed } = await placeOrder(deps, { idempotencyKey, customer, ...body }, () =>
      deps.placementLimit.admit(res, principal.subject),
    );
    const url = statusUrl(req, order.id);
    res.status(202).location(url).setHeader('idempotent-replayed', String(replayed));
    res.json({
      orderId: order.id,
      status: order.status,
      total: order.total,
      currency: order.currency,
      statusUrl: url,
    });
  });

  router.get('/v1/orders/:id', async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params);
    const order = await findVisibleOrder(deps.orders, principalOf(res), id);
    res.json(presentOrder(order, await deps.sagaReads.stateOf(order)));
  });

  router.post('/v1/orders/:id/cancel', async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params);
    const { reason, items } = parseInput(cancelOrderBody, req.body);
    const result = await cancelOrder(deps, principalOf(res), id, { reason, ...(items ? { items } : {}) });
    // 202 when the saga accepted the cancellation but is still compensating.
    res
      .status('pending' in result ? 202 : 200)
      .json('pending' in result ? { orderId: id, status: 'CANCELLING' } : result);
  });

  router.post('/v1/orders/:id/refunds', requireRole('support'), async (req, res) => {
    const { id } = parseInput(orderIdParams, req.params);
    const idempotencyKey = idempotencyKeyOf(req);
    const body = parseInput(refundOrderBody, req.body);
    const result = await refundOrder(deps, principalOf(res), id, { ...body, idempotencyKey });
    res.status('pending' in result ? 202 : 201).json(result);
  });

  return router;
}

function idempotencyKeyOf(req: Request): string {
  const key = req.header('idempotency-key');
  if (key === undefined || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError([
      {
        field: 'Idempotency-Key',
        message:
          'header required: 1 to 255 printable ASCII characters without spaces identifying this request',
      },
    ]);
  }
  return key;
}

export function presentOrder(order: Order, saga: OrderSagaState | null) {
  return {
    orderId: order.id,
    status: order.status,
    statusReason: order.statusReason,
    customer: order.customer,
    items: order.items,
    currency: order.currency,
    total: order.total,
    refunded: order.refunded,
    failure: order.failure,
    compensations: order.compensations,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    saga: saga
      ? {
          status: saga.status,
          currentStep: saga.currentStep,
          stepsCompleted: saga.stepsCompleted,
          compensations: saga.compensations,
          failure: saga.failure,
          amounts: saga.amounts,
          refunds: saga.refunds.map(({ refundId, amount, status, reason, actor }) => ({
            refundId,
            amount,
            status,
            reason,
            actor,
          })),
          refundWindowEndsAt: saga.refundWindowEndsAt,
        }
      : null,
  };
}
