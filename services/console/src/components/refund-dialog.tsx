// Refund an amount and/or items with a reason. One Idempotency-Key per intended refund: sending
// the same refund again (double click, retry after a lost answer) reuses its key and refunds
// once; changing the amount or items makes it another refund with a key of its own.
import { useMemo, useRef, useState } from 'preact/hooks';
import { describeProblem, type Api } from '../api';
import type { Order } from '../api-types';
import { ActionKeys } from '../idempotency';
import { money } from '../format';
import { Modal } from './modal';

export function RefundDialog(props: {
  api: Api;
  order: Order;
  refundable: number;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { order } = props;
  const keys = useMemo(() => new ActionKeys(), []);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [returned, setReturned] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const major = (order.currency.toUpperCase() === 'JPY' ? 1 : 100) as number;

  const submit = async (e: Event) => {
    e.preventDefault();
    // A second click before the first answer is the same intent: never a second request.
    if (inFlight.current) return;
    const minor = Math.round(Number(amount.replace(',', '.')) * major);
    if (!Number.isFinite(minor) || minor <= 0) {
      setError('Enter the amount to refund, more than zero.');
      return;
    }
    const items = Object.entries(returned)
      .filter(([, quantity]) => quantity > 0)
      .map(([sku, quantity]) => ({ sku, quantity }));
    const intent = `${minor}|${items.map((i) => `${i.sku}=${i.quantity}`).join(',')}`;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const { status, body } = await props.api.refund(
        order.orderId,
        { amount: minor, reason: reason.trim(), ...(items.length ? { items } : {}) },
        keys.keyFor(intent),
      );
      props.onDone(
        status === 202 || 'pending' in body
          ? `Refund of ${money(minor, order.currency)} accepted; the saga is still carrying it out.`
          : `Refunded ${money(body.amount, order.currency)}: ${money(body.totalRefunded, order.currency)} of ${money(body.captured, order.currency)} captured is refunded now.`,
      );
    } catch (err) {
      setError(describeProblem(err));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  return (
    <Modal title={`Refund order ${order.orderId.slice(0, 8)}`} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} class="dialog-form">
        <p class="help">
          Still refundable:{' '}
          <strong data-testid="refundable">{money(props.refundable, order.currency)}</strong>
        </p>
        <label for="refund-amount">Amount ({order.currency.toUpperCase()})</label>
        <input
          id="refund-amount"
          name="amount"
          inputMode="decimal"
          required
          autoFocus
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
          aria-describedby="amount-help"
        />
        <p id="amount-help" class="help">
          For example 12.50. The API refuses more than what is captured and not yet refunded.
        </p>
        <fieldset>
          <legend>Items sent back (their stock returns; leave 0 for a goodwill refund)</legend>
          {order.items.map((item) => (
            <label key={item.sku} class="inline">
              <code>{item.sku}</code> (of {item.quantity})
              <input
                type="number"
                name={`returned-${item.sku}`}
                min={0}
                max={item.quantity}
                value={returned[item.sku] ?? 0}
                onInput={(e) => setReturned({ ...returned, [item.sku]: Number(e.currentTarget.value) || 0 })}
              />
            </label>
          ))}
        </fieldset>
        <label for="refund-reason">Reason</label>
        <textarea
          id="refund-reason"
          name="reason"
          rows={3}
          required
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
          <button type="submit" disabled={busy}>
            {busy ? 'Refunding…' : 'Refund'}
          </button>
          <button type="button" class="secondary" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
    </Modal>
  );
}
