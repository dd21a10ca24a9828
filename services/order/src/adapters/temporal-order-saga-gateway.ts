// The order service's side of Temporal: start the saga for an order (at most once, by workflow
// id), ask a running saga for its live state, and pass support requests (cancel, refund) to it
// as validated updates.
import { createHash } from 'node:crypto';
import {
  ApplicationFailure,
  Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Connection,
} from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import {
  ORDER_SAGA_WORKFLOW_TYPE,
  ORDER_STATUS_SEARCH_ATTRIBUTE,
  SupportRejection,
  cancelUpdate,
  getStateQuery,
  orderWorkflowId,
  refundUpdate,
  type OrderSagaInput,
  type OrderSagaWorkflow,
  type RefundRequest,
} from '@orders/orchestrator/shared';
import { SupportRequestRefused, type OrderSagaGateway } from '../domain/order-saga-gateway';

export function temporalOrderSagaGateway(
  connection: Connection,
  options: { namespace: string; taskQueue: string; queryTimeoutMs?: number; updateWaitMs?: number },
): OrderSagaGateway {
  // StartWorkflow / update / query spans, and the trace context in the workflow's headers, so
  // the saga's spans continue the trace of the request that placed the order.
  const client = new Client({
    connection,
    namespace: options.namespace,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });

  /** Validated by the workflow before acceptance; then the answer, or `pending` if it takes long. */
  async function update<R>(
    orderId: string,
    run: () => Promise<{ result(): Promise<R> }>,
  ): Promise<R | { pending: true }> {
    let handle: { result(): Promise<R> };
    try {
      handle = await run();
    } catch (err) {
      throw refusal(orderId, err);
    }
    const waited = await Promise.race([
      handle.result().then(
        (value) => ({ value }),
        (err: unknown) => ({ err }),
      ),
      new Promise<'waiting'>((resolve) =>
        setTimeout(() => resolve('waiting'), options.updateWaitMs ?? 15_000).unref(),
      ),
    ]);
    if (waited === 'waiting') return { pending: true };
    if ('err' in waited) throw refusal(orderId, waited.err);
    return waited.value;
  }

  return {
    cancel: (orderId, request) =>
      update(orderId, () =>
        client.workflow
          .getHandle(orderWorkflowId(orderId))
          .startUpdate(cancelUpdate, { args: [request], waitForStage: 'ACCEPTED' }),
      ),
    refund: (orderId, request) =>
      update(orderId, () =>
        client.workflow
          .getHandle(orderWorkflowId(orderId))
          // The refund id and what it asks as update id: a retried request is the same update, not a
          // second refund; the same key asking for something else is a new update, which the
          // saga's validator refuses (IDEMPOTENCY_KEY_REUSED).
          .startUpdate(refundUpdate, {
            args: [request],
            waitForStage: 'ACCEPTED',
            updateId: `refund-${request.refundId}-${refundFingerprint(request)}`,
          }),
      ),
    async start(input) {
      await client.workflow
        .start<OrderSagaWorkflow>(ORDER_SAGA_WORKFLOW_TYPE, {
          taskQueue: options.taskQueue,
          workflowId: orderWorkflowId(input.orderId),
          args: [input],
          // One order, one saga: a retried placement attaches to the running saga, and a finished
          // one is never started again.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // What the Temporal UI's workflow list shows for this saga.
          staticSummary: sagaSummary(input),
          // Its status from the start, so the saga's first task upserts no PENDING (one visibility
          // write less per order). The worker registers the attribute as it starts; a start
          // refused before that is retried when its claim runs out (saga-starter.ts).
          typedSearchAttributes: [{ key: ORDER_STATUS_SEARCH_ATTRIBUTE, value: 'PENDING' }],
        })
        .catch((err: unknown) => {
          if (err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError') return;
          throw err;
        });
    },
    async state(orderId) {
      try {
        return await client.withDeadline(Date.now() + (options.queryTimeoutMs ?? 2_000), () =>
          client.workflow.getHandle(orderWorkflowId(orderId)).query(getStateQuery),
        );
      } catch {
        // No such saga (not started yet, or closed and gone), or no worker to answer: either
        // way the order record is the answer.
        return undefined;
      }
    },
  };
}

function refundFingerprint({ amount, items }: RefundRequest): string {
  const lines = (items ?? []).map((i) => `${i.sku}=${i.quantity}`).sort();
  return createHash('sha256')
    .update(`${amount}\n${lines.join(',')}`)
    .digest('hex')
    .slice(0, 16);
}

function refusal(orderId: string, err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return new SupportRequestRefused(err.cause.type ?? SupportRejection.orderClosed, err.cause.message);
  }
  if (
    err instanceof WorkflowNotFoundError ||
    (err instanceof Error && /already completed|not found/i.test(err.message))
  ) {
    return new SupportRequestRefused(
      SupportRejection.orderClosed,
      `order ${orderId} is closed: its refund window has ended`,
    );
  }
  return err;
}

/** One line naming the order in the Temporal UI: who, how many items, how much. */
function sagaSummary(input: OrderSagaInput): string {
  const units = input.items.reduce((sum, line) => sum + line.quantity, 0);
  const total = `${(input.total / 100).toFixed(2)} ${input.currency}`;
  return `Order ${input.orderId} for ${input.customer.id}: ${units} item${units === 1 ? '' : 's'}, ${total}`;
}
