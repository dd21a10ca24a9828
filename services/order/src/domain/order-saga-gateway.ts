// The order service's side of Temporal: start the saga for an order (at most once, by workflow
// id) and ask a running saga for its live state.
import { Client, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import {
  getStateQuery,
  orderWorkflowId,
  type OrderSagaInput,
  type OrderSagaState,
} from '@orders/orchestrator/shared';

export interface OrderSagaGateway {
  start(input: OrderSagaInput): Promise<void>;
  /** Live state, or undefined when the saga is unknown or cannot answer right now. */
  state(orderId: string): Promise<OrderSagaState | undefined>;
}

export function temporalOrderSagaGateway(
  connection: Connection,
  options: { namespace: string; taskQueue: string; queryTimeoutMs?: number },
): OrderSagaGateway {
  const client = new Client({ connection, namespace: options.namespace });
  return {
    async start(input) {
      await client.workflow
        .start('orderSaga', {
          taskQueue: options.taskQueue,
          workflowId: orderWorkflowId(input.orderId),
          args: [input],
          // One order, one saga: a retried placement attaches to the running saga, and a finished
          // one is never started again.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
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
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        // A query needs a worker; without one, the database is still the answer.
        return undefined;
      }
    },
  };
}
