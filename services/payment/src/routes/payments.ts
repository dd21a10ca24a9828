// The payment API: thin handlers that parse, call a use case and answer JSON.
import { Router } from 'express';
import { parseInput } from '@orders/platform';
import type { PaymentDeps } from '../domain/deps';
import { authorizePayment } from '../domain/authorize-payment';
import { capturePayment } from '../domain/capture-payment';
import { getPayment } from '../domain/get-payment';
import { refundPayment } from '../domain/refund-payment';
import { voidPayment } from '../domain/void-payment';
import { domainErrors } from './problems';
import { authorizeBody, idempotencyKey, orderParams, refundBody } from './schemas';

export function paymentsRouter(deps: PaymentDeps): Router {
  const router = Router();

  router.post('/v1/payments/authorize', async (req, res) => {
    const key = idempotencyKey(req);
    const input = parseInput(authorizeBody, req.body);
    const { payment, created } = await authorizePayment(deps, input, key);
    res.status(created ? 201 : 200).json(payment);
  });

  router.post('/v1/payments/:orderId/capture', async (req, res) => {
    const key = idempotencyKey(req);
    const { orderId } = parseInput(orderParams, req.params);
    res.json(await capturePayment(deps, orderId, key));
  });

  router.post('/v1/payments/:orderId/void', async (req, res) => {
    const key = idempotencyKey(req);
    const { orderId } = parseInput(orderParams, req.params);
    res.json(await voidPayment(deps, orderId, key));
  });

  router.post('/v1/payments/:orderId/refunds', async (req, res) => {
    const key = idempotencyKey(req);
    const { orderId } = parseInput(orderParams, req.params);
    const body = parseInput(refundBody, req.body);
    const { result, created } = await refundPayment(deps, orderId, key, body);
    res.status(created ? 201 : 200).json(result);
  });

  router.get('/v1/payments/:orderId', async (req, res) => {
    const { orderId } = parseInput(orderParams, req.params);
    res.json(await getPayment(deps, orderId));
  });

  router.use(domainErrors());
  return router;
}
