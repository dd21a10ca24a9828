// HTTP calls from activities to the participant services. The status decides retry: a 4xx
// (other than 408/429) is the service saying "no" — a business failure Temporal must not
// retry — while 5xx, 408, 429, timeouts and refused connections are retried with backoff.
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
}

export interface ServiceClientOptions {
  timeoutMs?: number;
  /**
   * For compensations: every failure is retried, a 4xx included. An undo must not give up; one
   * the service keeps refusing is a bug that shows up as a stuck compensation, not a lost undo.
   */
  retryEverything?: boolean;
  /** Sent as `Authorization: Bearer …` (the order service's internal routes require it). */
  authToken?: string;
}

export function createServiceClient(
  service: string,
  baseUrl: string,
  { timeoutMs = 10_000, retryEverything = false, authToken }: ServiceClientOptions = {},
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
      if (
        !retryEverything &&
        response.status >= 400 &&
        response.status < 500 &&
        response.status !== 408 &&
        response.status !== 429
      ) {
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
  options: { timeoutMs: number; authToken?: string },
): ParticipantClients {
  return {
    forward: createServiceClient(service, baseUrl, options),
    compensation: createServiceClient(service, baseUrl, { ...options, retryEverything: true }),
  };
}
