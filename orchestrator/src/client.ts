// Client-side helpers for callers outside the order service (tests, load tools). The order
// service accepts an order first and starts its saga a moment later (its saga starter), so a
// caller that follows an order it has just placed may ask before the workflow exists.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderWorkflowId, type OrderSagaResult } from './shared';

/** The saga's result, waiting up to `startTimeoutMs` for the saga to be started. */
export async function orderSagaResult(
  client: Client,
  orderId: string,
  { startTimeoutMs = 60_000 }: { startTimeoutMs?: number } = {},
): Promise<OrderSagaResult> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    try {
      return (await client.workflow.getHandle(orderWorkflowId(orderId)).result()) as OrderSagaResult;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
