// HTTP calls from activities to the participant services. The answer decides retry: a 4xx
// carrying a business `code` (or a 400 naming invalid fields) is the service saying "no" — a
// business failure Temporal must not retry. Everything else is infrastructure and retried with
// backoff: 5xx, 408, 429, timeouts, refused connections, and a 4xx without a code (a 401 from a
// token mismatch during a rollout, a 404 from a wrong route), which is also reported through
// `onUnexpectedStatus` so it is alerted on instead of silently failing orders.
import { ApplicationFailure } from '@temporalio/common';

export interface ServiceClient {
  request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options?: { body?: unknown; idempotencyKey?: string },
  ): Promise<T>;
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  errors?: unknown[];
}

export interface ServiceClientOptions {
  timeoutMs?: number;
  /**
   * For compensations: every failure is retried, a 4xx included. An undo must not give up; one
   * the service keeps refusing is a bug that shows up as a stuck compensation, not a lost undo.
   */
  retryEverything?: boolean;
  /** Sent as `Authorization: Bearer …`: the internal token every participant's routes require. */
  authToken?: string;
  /** Called for a 4xx that is not a business answer (no `code`): retried, and worth an alert. */
  onUnexpectedStatus?: (service: string, status: number, method: string, path: string) => void;
}

/** A business refusal: a 4xx with a machine `code`, or a 400 naming the invalid fields. */
export function isBusinessRefusal(status: number, problem: Problem): boolean {
  if (status < 400 || status >= 500 || status === 408 || status === 429) return false;
  if (typeof problem.code === 'string' && problem.code !== '') return true;
  return status === 400 && Array.isArray(problem.errors);
}

export function createServiceClient(
  service: string,
  baseUrl: string,
  { timeoutMs = 10_000, retryEverything = false, authToken, onUnexpectedStatus }: ServiceClientOptions = {},
): ServiceClient {
  return {
    async request<T>(
      method: 'GET' | 'POST' | 'PUT',
      path: string,
      options: { body?: unknown; idempotencyKey?: string } = {},
    ): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
      if (authToken) headers.authorization = `Bearer ${authToken}`;
      let response: Response;
      try {
        response = await fetch(new URL(path, baseUrl), {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new Error(`${service} ${method} ${path}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : {}) as T;
      const problem = parseProblem(text);
      const detail = `${service} ${method} ${path} answered ${response.status}: ${problem.detail ?? problem.title ?? text.slice(0, 200)}`;
      const business = isBusinessRefusal(response.status, problem);
      if (
        !business &&
        response.status >= 400 &&
        response.status < 500 &&
        response.status !== 408 &&
        response.status !== 429
      )
        onUnexpectedStatus?.(service, response.status, method, path);
      if (business && !retryEverything) {
        throw ApplicationFailure.nonRetryable(
          problem.detail ?? detail,
          problem.code ?? `HTTP_${response.status}`,
          { service, status: response.status, problem },
        );
      }
      throw new Error(detail);
    },
  };
}

function parseProblem(text: string): Problem {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** Each participant twice: a client for forward steps and one that retries everything, for undo. */
export interface ParticipantClients {
  forward: ServiceClient;
  compensation: ServiceClient;
}

export function participantClients(
  service: string,
  baseUrl: string,
  // Required here: every participant's routes take the internal token, none may be forgotten.
  options: Pick<ServiceClientOptions, 'timeoutMs' | 'onUnexpectedStatus'> & { authToken: string },
): ParticipantClients {
  return {
    forward: createServiceClient(service, baseUrl, options),
    compensation: createServiceClient(service, baseUrl, { ...options, retryEverything: true }),
  };
}
