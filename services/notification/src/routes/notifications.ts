// Support's (and the tests') view of what was sent for an order.
import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@orders/platform';
import type { NotificationsRepository } from '../data-access/notifications-repository';

const listQuery = z.object({ orderId: z.string().trim().min(1).max(200) });

export function notificationsRouter(repository: NotificationsRepository): Router {
  const router = Router();

  router.get('/v1/notifications', async (req, res) => {
    const { orderId } = parseInput(listQuery, req.query);
    const records = await repository.listByOrder(orderId);
    res.json({
      items: records.map((r) => ({
        eventId: r.eventId,
        orderId: r.orderId,
        type: r.type,
        status: r.status,
        recipient: r.recipient,
        subject: r.subject,
        messageId: r.messageId,
        attempts: r.attempts,
        lastError: r.lastError,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
      })),
    });
  });

  return router;
}
