// Cancel an order with a reason. Before the stock is committed the saga compensates; a
// fulfilled order is refunded in full and only the items declared sent back return to stock.
// Cancelling is idempotent at the API, and a second click while the first is out sends nothing.
import { useRef, useState } from 'preact/hooks';
import { describeProblem, type Api } from '../api';
import type { Order } from '../api-types';
import { money } from '../format';
import { Modal } from './modal';

export function CancelDialog(props: {
  api: Api;
  order: Order;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { order } = props;
  const fulfilled = order.saga?.stepsCompleted.includes('commit') ?? order.status === 'COMPLETED';
  const [reason, setReason] = useState('');
  const [returned, setReturned] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (inFlight.current) return;
    const items = Object.entries(returned)
      .filter(([, quantity]) => quantity > 0)
      .map(([sku, quantity]) => ({ sku, quantity }));
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const { status, body } = await props.api.cancel(order.orderId, {
        reason: reason.trim(),
        ...(items.length ? { items } : {}),
      });
      props.onDone(
        status === 202
          ? 'Cancellation accepted; the saga is still compensating.'
          : `Cancelled${body.refunded ? `; ${money(body.refunded, order.currency)} refunded in all` : ''}.`,
      );
    } catch (err) {
      setError(describeProblem(err));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <Modal title={`Cancel order ${order.orderId.slice(0, 8)}`} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} class="dialog-form">
        <p class="help">
          {fulfilled
            ? 'This order is fulfilled: cancelling refunds everything still captured.'
            : 'The saga undoes every step done so far (stock released, payment voided or refunded).'}
        </p>
        {fulfilled && (
          <fieldset>
            <legend>Items sent back (only these return to stock)</legend>
            {order.items.map((item) => (
              <label key={item.sku} class="inline">
                <code>{item.sku}</code> (of {item.quantity})
                <input
                  type="number"
                  name={`returned-${item.sku}`}
                  min={0}
                  max={item.quantity}
                  value={returned[item.sku] ?? 0}
                  onInput={(e) =>
                    setReturned({ ...returned, [item.sku]: Number(e.currentTarget.value) || 0 })
                  }
                />
              </label>
            ))}
          </fieldset>
        )}
        <label for="cancel-reason">Reason</label>
        <textarea
          id="cancel-reason"
          name="reason"
          rows={3}
          required
          autoFocus
          maxLength={500}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        {error && (
          <p class="error" role="alert" data-testid="dialog-error">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="danger" disabled={busy}>
            {busy ? 'Cancelling…' : 'Cancel order'}
          </button>
          <button type="button" class="secondary" onClick={props.onClose}>
            Keep the order
          </button>
        </div>
      </form>
    </Modal>
  );
}
