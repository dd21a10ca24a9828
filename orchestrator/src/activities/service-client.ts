// HTTP calls from activities to the participant services. The answer decides retry: a 4xx
// carrying a business `code` (or a 400 naming invalid fields) is the service saying "no" — a
// business failure Temporal must not retry. Everything else is infrastructure and retried with
// backoff: 5xx, 408, 429, timeouts, refused connections, and a 4xx without a code (a 401 from a
// token mismatch during a rollout, a 404 from a wrong route), which is also reported through
// `onUnexpectedStatus` so it is alerted on instead of silently failing orders.
import { ApplicationFailure } from '@temporalio/common';
import { Agent, request as httpRequest, type Dispatcher } from 'undici';

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
  // undici's own request API over a keep-alive pool, not fetch: the same client underneath
  // without the WHATWG streams and Response objects, which cost the worker's main thread about
  // a millisecond per call in the profile (loadtest/BENCHMARKS.md, third round).
  const dispatcher: Dispatcher = sharedAgent();
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
      let status: number;
      let text: string;
      try {
        const response = await httpRequest(new URL(path, baseUrl), {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(timeoutMs),
          dispatcher,
        });
        status = response.statusCode;
        text = await response.body.text();
      } catch (err) {
        throw new Error(`${service} ${method} ${path}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
      if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
      const problem = parseProblem(text);
      const detail = `${service} ${method} ${path} answered ${status}: ${problem.detail ?? problem.title ?? text.slice(0, 200)}`;
      const business = isBusinessRefusal(status, problem);
      if (!business && status >= 400 && status < 500 && status !== 408 && status !== 429)
        onUnexpectedStatus?.(service, status, method, path);
      if (business && !retryEverything) {
        throw ApplicationFailure.nonRetryable(problem.detail ?? detail, problem.code ?? `HTTP_${status}`, {
          service,
          status,
          problem,
        });
      }
      throw new Error(detail);
    },
  };
}

let agent: Agent | undefined;
/** One keep-alive pool per process for every participant (undici keeps one per origin inside). */
function sharedAgent(): Agent {
  agent ??= new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  return agent;
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
