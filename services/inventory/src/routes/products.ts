import { Router } from 'express';
import { parseInput, type Pool } from '@orders/platform';
import { getProduct, listProducts, putProduct } from '../domain/catalogue';
import { domainErrors } from './problems';
import { productBodySchema, productsQuerySchema, skuParamsSchema } from './schemas';

export function productsRouter(pool: Pool): Router {
  const router = Router();

  router.get('/v1/products', async (req, res) => {
    const { skus } = parseInput(productsQuerySchema, req.query);
    res.json({ items: await listProducts(pool, skus) });
  });

  router.get('/v1/products/:sku', async (req, res) => {
    const { sku } = parseInput(skuParamsSchema, req.params);
    res.json(await getProduct(pool, sku));
  });

  router.put('/v1/products/:sku', async (req, res) => {
    const { sku } = parseInput(skuParamsSchema, req.params);
    const body = parseInput(productBodySchema, req.body);
    const { product, created } = await putProduct(pool, { sku, ...body });
    res.status(created ? 201 : 200).json(product);
  });

  router.use(domainErrors());
  return router;
}
