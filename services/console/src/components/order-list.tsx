// Orders, newest first: filters (status, customer, creation date range), an order id to open,
// cursor paging, and live counts per status (refreshed every few seconds).
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { ORDER_STATUSES, type OrderStatus } from '../api-types';
import { dateTime, money, shortId } from '../format';
import { StatusBadge } from './status-badge';
import { usePolling } from './use-polling';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE_MS = 5_000;

/** datetime-local (the user's clock) to an instant the API takes; and back. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : '');
function toLocal(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function OrderList({ api, query }: { api: Api; query: string }) {
  const params = new URLSearchParams(query);
  const filters = {
    status: params.get('status') ?? '',
    customerId: params.get('customerId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const cursor = params.get('cursor') ?? '';
  const [form, setForm] = useState({ ...filters, from: toLocal(filters.from), to: toLocal(filters.to) });
  const [openId, setOpenId] = useState('');
  const [openError, setOpenError] = useState<string | null>(null);
  // Cursors of the pages before this one, so "Newer" can go back without the API paging backwards.
  const [previous, setPrevious] = useState<string[]>([]);

  const apiQuery = (withPaging: boolean) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    if (withPaging) {
      q.set('limit', '20');
      if (cursor) q.set('cursor', cursor);
    }
    return q;
  };
  const list = usePolling(() => api.listOrders(apiQuery(true)), LIVE_MS, true, [query]);
  const counts = usePolling(
    () => {
      const q = apiQuery(false);
      q.delete('status');
      return api.counts(q);
    },
    LIVE_MS,
    true,
    [filters.customerId, filters.from, filters.to],
  );

  const go = (next: Record<string, string>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) q.set(k, v);
    location.hash = `#/?${q.toString()}`;
  };
  const applyFilters = (e: Event) => {
    e.preventDefault();
    setPrevious([]);
    go({ ...form, from: toInstant(form.from), to: toInstant(form.to) });
  };
  const pickStatus = (status: OrderStatus | '') => {
    setPrevious([]);
    setForm({ ...form, status });
    go({ ...filters, status });
  };
  const openOrder = (e: Event) => {
    e.preventDefault();
    const id = openId.trim();
    if (!UUID.test(id)) {
      setOpenError('An order id is a UUID, e.g. 3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b.');
      return;
    }
    setOpenError(null);
    location.hash = `#/orders/${id.toLowerCase()}`;
  };

  return (
    <section aria-labelledby="orders-heading">
      <h1 id="orders-heading">Orders</h1>

      <div class="counts" role="group" aria-label="Orders per status (live)">
        <button type="button" aria-pressed={filters.status === ''} onClick={() => pickStatus('')}>
          All <span class="count">{counts.data?.total ?? '…'}</span>
        </button>
        {ORDER_STATUSES.map((s) => (
          <button
            type="button"
            key={s}
            class={`status-${s.toLowerCase()}`}
            aria-pressed={filters.status === s}
            onClick={() => pickStatus(s)}
          >
            {s.toLowerCase()} <span class="count">{counts.data?.byStatus[s] ?? '…'}</span>
          </button>
        ))}
      </div>

      <div class="toolbar">
        <form class="filters" onSubmit={applyFilters} aria-label="Filter orders">
          <label>
            Status
            <select value={form.status} onChange={(e) => setForm({ ...form, status: e.currentTarget.value })}>
              <option value="">any</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Customer id
            <input
              name="customerId"
              value={form.customerId}
              onInput={(e) => setForm({ ...form, customerId: e.currentTarget.value })}
            />
          </label>
          <label>
            Created from
            <input
              type="datetime-local"
              name="from"
              value={form.from}
              onInput={(e) => setForm({ ...form, from: e.currentTarget.value })}
            />
          </label>
          <label>
            Created before
            <input
              type="datetime-local"
              name="to"
              value={form.to}
              onInput={(e) => setForm({ ...form, to: e.currentTarget.value })}
            />
          </label>
          <button type="submit">Apply filters</button>
        </form>
        <form class="open-order" onSubmit={openOrder} aria-label="Open an order by id">
          <label>
            Order id
            <input
              name="orderId"
              value={openId}
              spellcheck={false}
              aria-invalid={openError ? true : undefined}
              aria-describedby={openError ? 'open-error' : undefined}
              onInput={(e) => setOpenId(e.currentTarget.value)}
            />
          </label>
          <button type="submit">Open</button>
          {openError && (
            <p id="open-error" class="error" role="alert">
              {openError}
            </p>
          )}
        </form>
      </div>

      {list.error && (
        <p class="error" role="alert">
          {list.error}
        </p>
      )}
      <table class="orders">
        <caption class="visually-hidden">Orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((o) => (
            <tr key={o.orderId}>
              <td>
                <a href={`#/orders/${o.orderId}`} aria-label={`Order ${o.orderId}`}>
                  <code>{shortId(o.orderId)}</code>
                </a>
              </td>
              <td>{o.customerId}</td>
              <td>
                <StatusBadge status={o.status} />
              </td>
              <td class="num">{money(o.total, o.currency)}</td>
              <td>{dateTime(o.createdAt)}</td>
            </tr>
          ))}
          {list.data?.items.length === 0 && (
            <tr>
              <td colSpan={5} class="empty">
                No orders match these filters.
              </td>
            </tr>
          )}
          {list.loading && !list.data && (
            <tr>
              <td colSpan={5} class="empty">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <nav class="paging" aria-label="Pages">
        <button
          type="button"
          disabled={!cursor}
          onClick={() => {
            const before = previous.slice(0, -1);
            const back = previous.at(-1) ?? '';
            setPrevious(before);
            go({ ...filters, cursor: back });
          }}
        >
          ← Newer
        </button>
        <button
          type="button"
          disabled={!list.data?.nextCursor}
          onClick={() => {
            setPrevious([...previous, cursor]);
            go({ ...filters, cursor: list.data?.nextCursor ?? '' });
          }}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
