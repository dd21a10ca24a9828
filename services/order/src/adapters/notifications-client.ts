// The notification service's record of e-mails sent for an order, read over its internal HTTP
// route with the internal service token (every internal route requires it).
import { z } from 'zod';
import type { NotificationsClient } from '../domain/order-timeline';

const listing = z.object({
  items: z.array(
    z.object({
      eventId: z.string(),
      type: z.string(),
      status: z.string(),
      recipient: z.string(),
      subject: z.string().nullable().optional(),
      attempts: z.number().int().nonnegative().default(0),
      lastError: z.string().nullable().optional(),
      createdAt: z.string(),
      sentAt: z.string().nullable().optional(),
    }),
  ),
});

export function httpNotificationsClient(
  baseUrl: string,
  internalToken: string,
  timeoutMs = 3_000,
): NotificationsClient {
  return {
    async emailsOf(orderId) {
      const url = new URL('/v1/notifications', baseUrl);
      url.searchParams.set('orderId', orderId);
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${internalToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`notification service answered ${res.status} for ${url.pathname}`);
      const parsed = listing.safeParse(await res.json());
      if (!parsed.success)
        throw new Error(`notification service listing not understood: ${parsed.error.message}`);
      return parsed.data.items
        .map((n) => ({
          eventId: n.eventId,
          type: n.type,
          status: n.status,
          recipient: n.recipient,
          subject: n.subject ?? null,
          attempts: n.attempts,
          lastError: n.lastError ?? null,
          createdAt: n.createdAt,
          sentAt: n.sentAt ?? null,
        }))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  };
}
