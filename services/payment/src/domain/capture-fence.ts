// Settling a capture whose outcome is unknown, for a compensation that must know. A payment in
// CAPTURING may have its capture still in flight at Stripe (slow, past our timeout): reading
// `requires_capture` proves nothing, because the capture can land a moment later — and a
// refund of "everything captured" that read 0, followed by the capture landing, would leave
// the customer charged for a cancelled order. So the compensation cancels the intent instead.
// Stripe serialises operations on one intent: a cancel that succeeds means no capture can
// land any more (VOIDED, nothing to refund); a cancel refused because the intent `succeeded`
// means it was captured (CAPTURED, and the refund refunds it).
import { ProviderStateConflict, captureInFlight } from './errors';
import type { IntentSnapshot } from './gateway';
import type { PaymentDeps } from './deps';
import type { Payment } from './payment';
import { recordCaptureOutcome } from './settle';

/** One cancel per order however often the fence is retried (Stripe replays it). */
export const fenceKey = (orderId: string) => `${orderId}:capture-fence`;

/** The payment, CAPTURED or VOIDED; a 503 while Stripe cannot tell yet. */
export async function fenceCapture(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  const { orderId } = payment;
  const intentId = payment.paymentIntentId;
  if (!intentId) throw new Error(`payment of order ${orderId} is CAPTURING without an intent`);
  let intent: IntentSnapshot;
  try {
    intent = await deps.gateway.cancel(intentId, fenceKey(orderId));
  } catch (err) {
    // Captured (or canceled) already: the intent says which.
    if (!(err instanceof ProviderStateConflict)) throw err;
    intent = await deps.gateway.retrieve(intentId);
  }
  const settled = await recordCaptureOutcome(deps, payment, intent);
  deps.logger.warn(
    { orderId, intentStatus: intent.status, paymentStatus: settled.status },
    'fenced an unsettled capture',
  );
  if (settled.status === 'CAPTURING') throw captureInFlight(orderId);
  return settled;
}
