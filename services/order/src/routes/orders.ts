// Public order routes: place an order (202 + status URL) and follow it.
import { Router, type Request } from 'express';
import { AppError, NotFoundError, ValidationError, parseInput } from '@orders/platform';
import { z } from 'zod';
import type { OrdersRepository } from '../data-access/orders-repository';
import type { Catalogue } from '../domain/catalogue';
import type { Order } from '../domain/order';
import type { OrderSagaGateway } from '../domain/order-saga-gateway';
import { placeOrder } from '../domain/place-order';
import { toHttpError } from './http-errors';

export const placeOrderBody = z
  .object({
    customer: z.object({
      id: z.string().trim().min(1).max(100),
      email: z.email().max(254),
      name: z.string().trim().min(1).max(200).optional(),
    }),
    items: z
      .array(
        z
          .object({ sku: z.string().trim().min(1).max(64), quantity: z.number().int().min(1).max(1000) })
          .strict(),
      )
      .min(1)
      .max(50)
      .refine(
        (items) => new Set(items.map((i) => i.sku)).size === items.length,
        'each sku may appear only once',
      ),
    paymentMethod: z.string().trim().min(1).max(100),
  })
  .strict();

const orderIdParams = z.object({ id: z.uuid() });

export interface OrderRoutesDeps {
  orders: OrdersRepository;
  catalogue: Catalogue;
  sagas: OrderSagaGateway;
  publicBaseUrl: string;
}

export function orderRoutes(deps: OrderRoutesDeps): Router {
  const router = Router();
  const statusUrl = (req: Request, id: string) =>
    `${deps.publicBaseUrl || `${req.protocol}://${req.get('host') ?? 'localhost'}`}/v1/orders/${id}`;

  router.post('/v1/orders', async (req, res) => {
    const idempotencyKey = idempotencyKeyOf(req);
    const body = parseInput(placeOrderBody, req.body);
    try {
      const { order, replayed } = await placeOrder(deps, { idempotencyKey, ...body });
      const url = statusUrl(req, order.id);
      res.status(202).location(url).setHeader('idempotent-replayed', String(replayed));
      res.json({
        orderId: order.id,
        status: order.status,
        total: order.total,
        currency: order.currency,
        statusUrl: url,
      });
    } catch (err) {
      throw withRetryAfter(toHttpError(err));
    }
  });

  router.get('/v1/orders/:id', async (req, res) => {
    const { id } = parseInputOr404(req.params);
    const order = await deps.orders.findById(id);
    if (!order) throw new NotFoundError('order', id);
    res.json(presentOrder(order, await deps.sagas.state(id)));
  });

  return router;
}

function idempotencyKeyOf(req: Request): string {
  const key = req.header('idempotency-key')?.trim();
  if (!key || key.length > 255) {
    throw new ValidationError([
      {
        field: 'Idempotency-Key',
        message: 'header required: 1 to 255 characters identifying this placement attempt',
      },
    ]);
  }
  return key;
}

function parseInputOr404(params: unknown): { id: string } {
  const parsed = orderIdParams.safeParse(params);
  if (!parsed.success) throw new NotFoundError('order', String((params as { id?: unknown }).id));
  return parsed.data;
}

function withRetryAfter(err: unknown): unknown {
  if (err instanceof AppError && err.status === 503)
    return new AppError(503, err.title, err.message, { ...err.extensions, retryAfterSeconds: 2 });
  return err;
}

type SagaState = Awaited<ReturnType<OrderSagaGateway['state']>>;

export function presentOrder(order: Order, saga: SagaState) {
  return {
    orderId: order.id,
    status: order.status,
    statusReason: order.statusReason,
    customer: order.customer,
    items: order.items,
    currency: order.currency,
    total: order.total,
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
        }
      : null,
  };
}
