// The catalogue and its stock. A product carries a `version` (also its ETag) that moves on every
// change: a PUT over an existing product names it in If-Match, and a stock change that must not
// race with orders is a delta (POST …/stock-adjustments) rather than an absolute onHand.
import { Router, type Response } from 'express';
import { parseInput, ValidationError, type Pool } from '@orders/platform';
import { getProduct, listProducts, putProduct, type WritePrecondition } from '../domain/catalogue';
import type { Product } from '../domain/model';
import { adjustStock } from '../domain/stock';
import {
  idempotencyKeySchema,
  productBodySchema,
  productsQuerySchema,
  skuParamsSchema,
  stockAdjustmentBodySchema,
} from './schemas';

const etagOf = (product: Product) => `"${product.version}"`;
const withEtag = (res: Response, product: Product) => res.setHeader('ETag', etagOf(product));

/** If-Match naming one version (`"7"`, as the ETag reads); If-None-Match: * for create-only. */
function preconditionOf(ifMatch: string | undefined, ifNoneMatch: string | undefined): WritePrecondition {
  if (ifMatch !== undefined) {
    const version = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(ifMatch)?.[1];
    if (!version)
      throw new ValidationError([
        { field: 'If-Match', message: 'must be the product version (ETag) it replaces, e.g. "3"' },
      ]);
    return { ifMatch: Number(version) };
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*')
      throw new ValidationError([
        { field: 'If-None-Match', message: 'only * (create, never replace) is supported' },
      ]);
    return { createOnly: true };
  }
  return {};
}

export function productsRouter(pool: Pool): Router {
  const router = Router();

  router.get('/v1/products', async (req, res) => {
    const { skus } = parseInput(productsQuerySchema, req.query);
    res.json({ items: await listProducts(pool, skus) });
  });

  router.get('/v1/products/:sku', async (req, res) => {
    const { sku } = parseInput(skuParamsSchema, req.params);
    const product = await getProduct(pool, sku);
    withEtag(res, product).json(product);
  });

  router.put('/v1/products/:sku', async (req, res) => {
    const { sku } = parseInput(skuParamsSchema, req.params);
    const precondition = preconditionOf(req.header('if-match'), req.header('if-none-match'));
    const body = parseInput(productBodySchema, req.body);
    const { product, created } = await putProduct(pool, { sku, ...body }, precondition);
    withEtag(res, product)
      .status(created ? 201 : 200)
      .json(product);
  });

  router.post('/v1/products/:sku/stock-adjustments', async (req, res) => {
    const { sku } = parseInput(skuParamsSchema, req.params);
    const idempotencyKey = parseInput(
      idempotencyKeySchema,
      req.header('idempotency-key') ?? '',
      'Idempotency-Key',
    );
    const { delta, reason } = parseInput(stockAdjustmentBodySchema, req.body);
    const { adjustment, product, created } = await adjustStock(pool, { sku, delta, reason, idempotencyKey });
    withEtag(res, product)
      .status(created ? 201 : 200)
      .setHeader('idempotent-replayed', String(!created))
      .json({
        adjustment: {
          sku: adjustment.sku,
          delta: adjustment.delta,
          reason: adjustment.reason,
          onHandAfter: adjustment.onHandAfter,
          createdAt: adjustment.createdAt.toISOString(),
        },
        product,
      });
  });

  return router;
}
