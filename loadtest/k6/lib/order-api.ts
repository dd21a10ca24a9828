// The public order API and the inventory catalogue as k6 calls them. Each request carries a
// `name` tag, so per-order URLs aggregate into one series and thresholds can select one kind.
import http, { type RefinedResponse } from 'k6/http';
import { REQUEST_NAMES, type Product } from './scenario-options.ts';
import { uuidV4 } from './tokens.ts';

export const TERMINAL_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = 'PENDING' | 'CONFIRMED' | (typeof TERMINAL_STATUSES)[number];

export interface OrderRecord {
  orderId: string;
  status: OrderStatus;
  total: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlaceOrderBody {
  items: { sku: string; quantity: number }[];
  paymentMethod: string;
}

type Response = RefinedResponse<'text'>;

const json = (token?: string, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
  ...extra,
});

export const isTerminal = (status: string): boolean =>
  (TERMINAL_STATUSES as readonly string[]).includes(status);

/**
 * Sets a product to `product` (stock included): created if missing, otherwise replaced at the
 * version just read (If-Match), read and written again if it changed in between (412). The
 * inventory service's routes require the internal service token.
 */
export function putProduct(
  inventoryUrl: string,
  internalApiToken: string,
  { sku, ...product }: Product,
): Response {
  const url = `${inventoryUrl}/v1/products/${encodeURIComponent(sku)}`;
  const auth = { authorization: `Bearer ${internalApiToken}` };
  let res: Response | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = http.get(url, {
      headers: auth,
      tags: { name: REQUEST_NAMES.catalogue },
      responseType: 'text',
    });
    const etag = current.status === 200 ? current.headers['Etag'] : undefined;
    res = http.put(url, JSON.stringify(product), {
      headers: json(internalApiToken, etag ? { 'if-match': etag } : {}),
      tags: { name: REQUEST_NAMES.catalogue },
      responseType: 'text',
    });
    if (res.status !== 412 && res.status !== 428) return res;
  }
  return res as Response;
}

/** POST /v1/orders with a fresh Idempotency-Key; 202 and the order id when accepted. */
export function placeOrder(
  baseUrl: string,
  token: string,
  body: PlaceOrderBody,
  name: string = REQUEST_NAMES.place,
): { res: Response; orderId: string | undefined } {
  const res = http.post(`${baseUrl}/v1/orders`, JSON.stringify(body), {
    headers: json(token, { 'idempotency-key': uuidV4() }),
    tags: { name },
    responseType: 'text',
  });
  const orderId = res.status === 202 ? stringField(parse(res), 'orderId') : undefined;
  return { res, orderId };
}

export function getOrder(
  baseUrl: string,
  token: string,
  orderId: string,
  name: string = REQUEST_NAMES.follow,
): { res: Response; order: OrderRecord | undefined } {
  const res = http.get(`${baseUrl}/v1/orders/${orderId}`, {
    headers: json(token),
    tags: { name },
    responseType: 'text',
  });
  return { res, order: res.status === 200 ? toOrder(parse(res)) : undefined };
}

/** Cancel as the owning customer or support: 200 when done, 202 while the saga compensates. */
export function cancelOrder(baseUrl: string, token: string, orderId: string, reason: string): Response {
  return http.post(`${baseUrl}/v1/orders/${orderId}/cancel`, JSON.stringify({ reason }), {
    headers: json(token),
    tags: { name: REQUEST_NAMES.cancel },
    responseType: 'text',
  });
}

/** Support refund with its own Idempotency-Key: 201 when done, 202 while pending. */
export function refundOrder(
  baseUrl: string,
  supportToken: string,
  orderId: string,
  amount: number,
  reason: string,
): Response {
  return http.post(`${baseUrl}/v1/orders/${orderId}/refunds`, JSON.stringify({ amount, reason }), {
    headers: json(supportToken, { 'idempotency-key': uuidV4() }),
    tags: { name: REQUEST_NAMES.refund },
    responseType: 'text',
  });
}

/** Every order of the token's customer (placed at or after `from`, an ISO time, when given). */
export function listOwnOrders(
  baseUrl: string,
  token: string,
  from: string | undefined,
): OrderRecord[] | undefined {
  const orders: OrderRecord[] = [];
  let cursor: string | undefined;
  do {
    const query = [
      'limit=100',
      ...(from ? [`from=${encodeURIComponent(from)}`] : []),
      ...(cursor ? [`cursor=${encodeURIComponent(cursor)}`] : []),
    ].join('&');
    const res = http.get(`${baseUrl}/v1/orders?${query}`, {
      headers: json(token),
      tags: { name: REQUEST_NAMES.settle },
      responseType: 'text',
    });
    if (res.status !== 200) return undefined;
    const page = parse(res);
    const items = isRecord(page) && Array.isArray(page.items) ? page.items : [];
    for (const item of items) {
      const order = toOrder(item);
      if (order) orders.push(order);
    }
    cursor = stringField(page, 'nextCursor');
  } while (cursor);
  return orders;
}

function parse(res: Response): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function stringField(value: unknown, key: string): string | undefined {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === 'string' && field.length > 0 ? field : undefined;
}

function toOrder(value: unknown): OrderRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { orderId, status, total, createdAt, updatedAt } = value;
  if (
    typeof orderId !== 'string' ||
    typeof status !== 'string' ||
    typeof createdAt !== 'string' ||
    typeof updatedAt !== 'string'
  )
    return undefined;
  return {
    orderId,
    status: status as OrderStatus,
    total: typeof total === 'number' ? total : 0,
    createdAt,
    updatedAt,
  };
}
