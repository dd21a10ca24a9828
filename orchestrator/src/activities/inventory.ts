// The inventory participant: validate against the catalogue, then reserve, commit, release, return.
// Validate, pin and commit carry the saga's announcements of earlier facts (events.ts).
import { ApplicationFailure } from '@temporalio/common';
import type { OrderEvent } from '@orders/platform/events';
import { findOrderProblem } from '../domain/validate-order';
import type { OrderEventPublisher } from '../events/order-event-publisher';
import type { CatalogueProduct, ItemQuantity, OrderLine, OrderSagaInput } from '../shared';
import { announceFirst, type Announced } from './events';
import type { ParticipantClients } from './service-client';

export function inventoryActivities(
  { forward: inventory, compensation: undo }: ParticipantClients,
  events: OrderEventPublisher,
) {
  return {
    async validateOrder(order: OrderSagaInput, announce?: OrderEvent[]): Promise<Announced> {
      const announced = await announceFirst(events, announce);
      const skus = [...new Set(order.items.map((i) => i.sku))].join(',');
      const { items } = await inventory.request<{ items: CatalogueProduct[] }>(
        'GET',
        `/v1/products?skus=${encodeURIComponent(skus)}`,
      );
      const problem = findOrderProblem(order, items);
      if (problem) throw ApplicationFailure.nonRetryable(problem.reason, problem.code);
      return announced;
    },

    async reserveStock(orderId: string, items: OrderLine[]): Promise<void> {
      await inventory.request('POST', '/v1/reservations', {
        body: { orderId, items: items.map(({ sku, quantity }) => ({ sku, quantity })) },
        idempotencyKey: `${orderId}:reserve`,
      });
    },

    /**
     * Right before capture: the hold must outlive whatever delays the saga from here to commit.
     * An expired hold answers 409 RESERVATION_EXPIRED, so the saga compensates without capturing.
     */
    async pinReservation(orderId: string, announce?: OrderEvent[]): Promise<Announced> {
      const announced = await announceFirst(events, announce);
      await inventory.request('POST', `/v1/reservations/${encodeURIComponent(orderId)}/pin`, {
        idempotencyKey: `${orderId}:pin`,
      });
      return announced;
    },

    async commitReservation(orderId: string, announce?: OrderEvent[]): Promise<Announced> {
      const announced = await announceFirst(events, announce);
      await inventory.request('POST', `/v1/reservations/${encodeURIComponent(orderId)}/commit`, {
        idempotencyKey: `${orderId}:commit`,
      });
      return announced;
    },

    /** Undo of reserve; harmless when nothing was reserved (the service leaves a tombstone). */
    async releaseReservation(orderId: string): Promise<void> {
      await undo.request('POST', `/v1/reservations/${encodeURIComponent(orderId)}/release`, {
        idempotencyKey: `${orderId}:release`,
      });
    },

    /** Items a customer sent back go back to stock; the key makes a repeated return harmless. */
    async returnItems(orderId: string, items: ItemQuantity[], idempotencyKey: string): Promise<void> {
      await inventory.request('POST', `/v1/reservations/${encodeURIComponent(orderId)}/return`, {
        body: { items },
        idempotencyKey,
      });
    },

    /** Undo of commit; releases instead when the commit never happened. */
    async returnStock(orderId: string): Promise<void> {
      await undo.request('POST', `/v1/reservations/${encodeURIComponent(orderId)}/return`, {
        idempotencyKey: `${orderId}:return`,
      });
    },
  };
}
