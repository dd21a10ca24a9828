// The saga's capture step as one activity: pin the stock hold, then capture the payment. Pinned
// first, no capture follows an expired hold (409 RESERVATION_EXPIRED fails the step before any
// money moves) and no delay after the capture can let the hold expire under it. Both calls carry
// idempotency keys, so a retried attempt re-pins and re-captures harmlessly.
import type { OrderEvent } from '@orders/platform/events';
import type { Announced } from './events';
import type { inventoryActivities } from './inventory';
import type { paymentActivities } from './payment';

export function captureActivities(
  inventory: Pick<ReturnType<typeof inventoryActivities>, 'pinReservation'>,
  payment: Pick<ReturnType<typeof paymentActivities>, 'capturePayment'>,
) {
  return {
    async captureHeldPayment(
      orderId: string,
      announce?: OrderEvent[],
    ): Promise<{ paymentIntentId: string; captured: number; capturedAt: string } & Announced> {
      const announced = await inventory.pinReservation(orderId, announce);
      const captured = await payment.capturePayment(orderId);
      // When the capture is known to have happened: recorded with the result, so PaymentCaptured
      // carries the same time on every send, whatever retries the step after it (saga-context.ts).
      return { ...captured, capturedAt: new Date().toISOString(), ...announced };
    },
  };
}
