// The payment API: thin handlers that parse, call a use case and answer JSON. Each request's
// Stripe calls share one deadline (PAYMENT_REQUEST_DEADLINE_MS; see config.ts).
import { Router } from 'express';
import { parseInput } from '@orders/platform';
import type { PaymentDeps } from '../domain/deps';
import { Deadline } from '../domain/deadline';
import { authorizePayment } from '../domain/authorize-payment';
import { capturePayment } from '../domain/capture-payment';
import { getPayment } from '../domain/get-payment';
import { listPendingRefunds, settlePendingRefund } from '../domain/pending-refunds';
import { refundPayment } from '../domain/refund-payment';
import { voidPayment } from '../domain/void-payment';
import {
  authorizeBody,
  idempotencyKey,
  orderParams,
  refundBody,
  refundParams,
  refundsQuery,
} from './schemas';

export interface RouterDeps extends PaymentDeps {
  requestDeadlineMs: number;
}

export function paymentsRouter(deps: RouterDeps): Router {
  const router = Router();
  /** The use cases' dependencies for one request: its gateway stops at the request's deadline. */
  const forRequest = (): PaymentDeps => ({
    ...deps,
    gateway: deps.gateway.within(Deadline.in(deps.requestDeadlineMs)),
  });

  router.post('/v1/payments/authorize', async (req, res) => {
    const key = idempotencyKey(req);
    const input = parseInput(authorizeBody, req.body);
    const { payment, created } = await authorizePayment(forRequest(), input, key);
    res.status(created ? 201 : 200).json(payment);
  });

  router.post('/v1/payments/:orderId/capture', async (req, res) => {
    const key = idempotencyKey(req);
    const { orderId } = parseInput(orderParams, req.params);
    res.json(await capturePayment(forRequest(), orderId, key));
  });

  router.post('/v1/payments/:orderId/void', async (req, res) => {
    const key = idempotencyKey(req);
    const { orderId } = parseInput(orderParams, req.params);
    res.json(await voidPayment(forRequest(), orderId, key));
  });

  router.post('/v1/payments/:orderId/refunds', async (req, res) => {
    const key = idempotencyKey(req);
    const { orderId } = parseInput(orderParams, req.params);
    const body = parseInput(refundBody, req.body);
    const { result, created } = await refundPayment(forRequest(), orderId, key, body);
    res.status(created ? 201 : 200).json(result);
  });

  router.get('/v1/payments/:orderId', async (req, res) => {
    const { orderId } = parseInput(orderParams, req.params);
    res.json(await getPayment(deps, orderId));
  });

  // Operators: refunds whose outcome at Stripe is not known yet, and settling one of them.
  router.get('/v1/refunds', async (req, res) => {
    const query = parseInput(refundsQuery, req.query);
    res.json({ items: await listPendingRefunds(deps, query) });
  });

  router.post('/v1/payments/:orderId/refunds/:key/settle', async (req, res) => {
    const { orderId, key } = parseInput(refundParams, req.params);
    res.json(await settlePendingRefund(forRequest(), orderId, key));
  });

  return router;
}
