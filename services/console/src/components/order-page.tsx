// One order: what was bought, the money (authorized, captured, refunded), the support actions,
// and the saga timeline, refreshed every two seconds while the saga runs.
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import type { Order, OrderTimeline } from '../api-types';
import { dateTime, money } from '../format';
import { CancelDialog } from './cancel-dialog';
import { RefundDialog } from './refund-dialog';
import { StatusBadge } from './status-badge';
import { Timeline } from './timeline';
import { usePolling } from './use-polling';

const LIVE_MS = 2_000;

export function OrderPage({ api, orderId }: { api: Api; orderId: string }) {
  const [live, setLive] = useState(true);
  const [dialog, setDialog] = useState<'refund' | 'cancel' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const view = usePolling(
    async (): Promise<{ order: Order; timeline: OrderTimeline }> => {
      const [order, timeline] = await Promise.all([api.order(orderId), api.timeline(orderId)]);
      // Keep polling while anything can still change: a saga that runs, or one not started yet.
      setLive(timeline.saga?.open ?? !['FAILED', 'CANCELLED'].includes(order.status));
      return { order, timeline };
    },
    LIVE_MS,
    live,
    [orderId],
  );
  const order = view.data?.order;
  const timeline = view.data?.timeline;

  if (!order || !timeline)
    return (
      <section>
        <p>
          <a href="#/">← All orders</a>
        </p>
        {view.error ? (
          <p class="error" role="alert">
            {view.error}
          </p>
        ) : (
          <p>Loading order {orderId}…</p>
        )}
      </section>
    );

  const amounts = order.saga?.amounts;
  const captured = amounts?.captured ?? 0;
  const refunded = Math.max(amounts?.refunded ?? 0, order.refunded);
  const pendingRefunds = (order.saga?.refunds ?? [])
    .filter((r) => r.status === 'pending')
    .reduce((sum, r) => sum + r.amount, 0);
  const closed = order.status === 'FAILED' || order.status === 'CANCELLED';
  const done = (text: string) => {
    setDialog(null);
    setMessage(text);
    setLive(true);
    void view.refresh();
  };

  return (
    <section aria-labelledby="order-heading">
      <p>
        <a href="#/">← All orders</a>
      </p>
      <div class="order-head">
        <h1 id="order-heading">
          Order <code>{order.orderId}</code>
        </h1>
        <StatusBadge status={order.status} />
        <span class="live" role="status" aria-live="polite">
          {live ? 'Live: updating every 2 s' : 'Saga closed'}
        </span>
      </div>
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      {view.error && (
        <p class="error" role="alert">
          {view.error}
        </p>
      )}

      <div class="order-grid">
        <section aria-labelledby="summary-heading" class="card">
          <h2 id="summary-heading">Summary</h2>
          <dl class="facts">
            <dt>Customer</dt>
            <dd>
              {order.customer.name ? `${order.customer.name} · ` : ''}
              {order.customer.id} · {order.customer.email}
            </dd>
            <dt>Placed</dt>
            <dd>{dateTime(order.createdAt)}</dd>
            <dt>Saga</dt>
            <dd>
              {order.saga
                ? `${order.saga.status.toLowerCase()}${order.saga.currentStep ? `, at ${order.saga.currentStep}` : ''}`
                : (timeline.saga?.status.toLowerCase() ?? 'not started')}
            </dd>
            {order.statusReason && (
              <>
                <dt>Reason</dt>
                <dd>{order.statusReason}</dd>
              </>
            )}
            {order.failure && (
              <>
                <dt>Failure</dt>
                <dd>
                  {order.failure.step}: {order.failure.code} — {order.failure.reason}
                </dd>
              </>
            )}
            {order.saga?.refundWindowEndsAt && (
              <>
                <dt>Refunds until</dt>
                <dd>{dateTime(order.saga.refundWindowEndsAt)}</dd>
              </>
            )}
          </dl>
        </section>

        <section aria-labelledby="money-heading" class="card">
          <h2 id="money-heading">Amounts</h2>
          <dl class="facts money">
            <dt>Total</dt>
            <dd>{money(order.total, order.currency)}</dd>
            <dt>Authorized</dt>
            <dd data-testid="authorized">{money(amounts?.authorized ?? 0, order.currency)}</dd>
            <dt>Captured</dt>
            <dd data-testid="captured">{money(captured, order.currency)}</dd>
            <dt>Refunded</dt>
            <dd data-testid="refunded">{money(refunded, order.currency)}</dd>
          </dl>
          <div class="actions">
            <button type="button" disabled={order.status !== 'COMPLETED'} onClick={() => setDialog('refund')}>
              Refund…
            </button>
            <button type="button" class="danger" disabled={closed} onClick={() => setDialog('cancel')}>
              Cancel order…
            </button>
          </div>
        </section>
      </div>

      <section aria-labelledby="items-heading" class="card">
        <h2 id="items-heading">Items</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col" class="num">
                Unit price
              </th>
              <th scope="col" class="num">
                Line total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={item.sku}>
                <td>
                  <code>{item.sku}</code>
                </td>
                <td>{item.name ?? ''}</td>
                <td class="num">{item.quantity}</td>
                <td class="num">{money(item.unitPrice, order.currency)}</td>
                <td class="num">{money(item.unitPrice * item.quantity, order.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <Timeline timeline={timeline} currency={order.currency} />

      {dialog === 'refund' && (
        <RefundDialog
          api={api}
          order={order}
          refundable={Math.max(0, captured - refunded - pendingRefunds)}
          onClose={() => setDialog(null)}
          onDone={done}
        />
      )}
      {dialog === 'cancel' && (
        <CancelDialog api={api} order={order} onClose={() => setDialog(null)} onDone={done} />
      )}
    </section>
  );
}
