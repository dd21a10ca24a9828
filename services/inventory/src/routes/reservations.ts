import { Router } from 'express';
import { parseInput, ValidationError, type Pool } from '@orders/platform';
import type { Reservation } from '../domain/model';
import {
  commitReservation,
  getReservation,
  pinReservation,
  releaseReservation,
  reserveStock,
} from '../domain/reservations';
import { returnStock } from '../domain/returns';
import { idempotencyKeySchema, orderIdParamsSchema, reserveBodySchema, returnBodySchema } from './schemas';

export interface ReservationRoutesDeps {
  pool: Pool;
  /** Used when a reserve request names no `ttlSeconds`. */
  reservationTtlSeconds: number;
}

const toJson = (r: Reservation) => ({
  orderId: r.orderId,
  status: r.status,
  items: r.items,
  expiresAt: r.expiresAt.toISOString(),
  pinned: r.pinnedAt !== null,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export function reservationsRouter({ pool, reservationTtlSeconds }: ReservationRoutesDeps): Router {
  const router = Router();

  router.post('/v1/reservations', async (req, res) => {
    const body = parseInput(reserveBodySchema, req.body);
    const { value, created } = await reserveStock(pool, {
      orderId: body.orderId,
      items: body.items,
      ttlSeconds: body.ttlSeconds ?? reservationTtlSeconds,
    });
    res.status(created ? 201 : 200).json(toJson(value));
  });

  router.get('/v1/reservations/:orderId', async (req, res) => {
    const { orderId } = parseInput(orderIdParamsSchema, req.params);
    res.json(toJson(await getReservation(pool, orderId)));
  });

  router.post('/v1/reservations/:orderId/pin', async (req, res) => {
    const { orderId } = parseInput(orderIdParamsSchema, req.params);
    res.json(toJson(await pinReservation(pool, orderId)));
  });

  router.post('/v1/reservations/:orderId/commit', async (req, res) => {
    const { orderId } = parseInput(orderIdParamsSchema, req.params);
    res.json(toJson(await commitReservation(pool, orderId)));
  });

  router.post('/v1/reservations/:orderId/release', async (req, res) => {
    const { orderId } = parseInput(orderIdParamsSchema, req.params);
    res.json(toJson(await releaseReservation(pool, orderId)));
  });

  router.post('/v1/reservations/:orderId/return', async (req, res) => {
    const { orderId } = parseInput(orderIdParamsSchema, req.params);
    const { items } = parseInput(returnBodySchema, req.body ?? {});
    const header = req.header('idempotency-key');
    const idempotencyKey =
      header === undefined ? undefined : parseInput(idempotencyKeySchema, header, 'Idempotency-Key');
    // A full return is idempotent by itself; a partial one repeated would give stock back twice.
    if (items && idempotencyKey === undefined) {
      throw new ValidationError([
        { field: 'Idempotency-Key', message: 'header is required when items are given (a partial return)' },
      ]);
    }
    res.json(toJson(await returnStock(pool, { orderId, items, idempotencyKey })));
  });

  return router;
}
