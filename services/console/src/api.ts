// The console's only way to the server: the public API on this origin with the support token.
// A refusal comes back as an ApiProblem carrying the RFC 9457 problem document, so the page can
// say in words what the API said.
import type { Order, OrderCounts, OrderList, OrderTimeline, Refund } from './api-types';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

/** Thrown when the request never got an answer: the same action may be retried as is. */
export class NetworkFailure extends Error {}

export interface Api {
  listOrders(query: URLSearchParams): Promise<OrderList>;
  counts(query: URLSearchParams): Promise<OrderCounts>;
  order(id: string): Promise<Order>;
  timeline(id: string): Promise<OrderTimeline>;
  refund(
    id: string,
    body: { amount: number; reason: string; items?: { sku: string; quantity: number }[] },
    idempotencyKey: string,
  ): Promise<{ status: number; body: Refund | { pending: true } }>;
  cancel(
    id: string,
    body: { reason: string; items?: { sku: string; quantity: number }[] },
  ): Promise<{ status: number; body: { status: string; refunded?: number } }>;
}

export function createApi(token: string, onUnauthorized: (problem: Problem) => void): Api {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          accept: 'application/json, application/problem+json',
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new NetworkFailure(`the API did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const problem: Problem = {
        status: res.status,
        ...(typeof parsed === 'object' && parsed !== null ? (parsed as Partial<Problem>) : {}),
      };
      if (res.status === 401) onUnauthorized(problem);
      throw new ApiProblem(problem);
    }
    return { status: res.status, body: parsed as T };
  }
  const get = async <T>(path: string) => (await request<T>('GET', path)).body;
  const enc = encodeURIComponent;

  return {
    listOrders: (query) => get(`/v1/orders?${query.toString()}`),
    counts: (query) => get(`/v1/order-counts?${query.toString()}`),
    order: (id) => get(`/v1/orders/${enc(id)}`),
    timeline: (id) => get(`/v1/orders/${enc(id)}/timeline`),
    refund: (id, body, idempotencyKey) =>
      request('POST', `/v1/orders/${enc(id)}/refunds`, body, { 'idempotency-key': idempotencyKey }),
    cancel: (id, body) => request('POST', `/v1/orders/${enc(id)}/cancel`, body),
  };
}

/** Development sign-in: present only when the server runs in development or test. */
export async function devSignInAvailable(): Promise<boolean> {
  try {
    const res = await fetch('/console/dev-sign-in', { headers: { accept: 'application/json' } });
    return res.ok;
  } catch {
    return false;
  }
}

export async function devSignIn(name: string): Promise<string> {
  const res = await fetch('/console/dev-sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(name ? { name } : {}),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string } & Partial<Problem>;
  if (!res.ok || !body.token) throw new ApiProblem({ ...body, status: res.status });
  return body.token;
}

const CODE_SENTENCES: Record<string, string> = {
  REFUND_EXCEEDS_CAPTURED: 'The refund is more than what is still refundable on this order.',
  RETURN_EXCEEDS_ORDERED: 'More items were declared returned than the order still holds.',
  IDEMPOTENCY_KEY_REUSED: 'This refund was already sent with different amounts.',
  REFUND_FAILED: 'The payment provider refused the refund.',
  ORDER_CLOSED: 'The order is closed to this action.',
  ORDER_NOT_REFUNDABLE: 'Only a completed order can be refunded.',
  ORDER_FULFILLED: 'The order has been fulfilled.',
  FORBIDDEN: 'Your role does not allow this.',
  TOKEN_EXPIRED: 'Your sign-in has expired.',
  TOKEN_INVALID: 'The token is not valid for this API.',
  UNAUTHENTICATED: 'You are not signed in.',
};

/** The API's refusal in words: what kind of refusal, and the API's own explanation. */
export function describeProblem(err: unknown): string {
  if (err instanceof ApiProblem) {
    const { problem } = err;
    const sentence = (problem.code && CODE_SENTENCES[problem.code]) ?? problem.title ?? 'The API refused.';
    const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    const detail = fields || problem.detail;
    const code = problem.code ? ` ${problem.code}` : '';
    return `${sentence}${detail ? ` ${detail}.` : ''} (HTTP ${problem.status}${code})`;
  }
  if (err instanceof NetworkFailure)
    return `${err.message}. Try again: the same action is sent with the same key.`;
  return err instanceof Error ? err.message : String(err);
}
