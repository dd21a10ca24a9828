// Idempotency keys as Stripe implements them: per API key, the first result of a POST is
// saved and replayed for the same key (header `Idempotent-Replayed: true`); the same key on a
// different endpoint or with different parameters is an idempotency_error; a key whose first
// request is still running answers 409. Results are kept for 24 hours.
import { idempotencyError, keyInUseError } from './errors';

interface Entry {
  endpoint: string;
  fingerprint: string;
  requestId: string;
  createdAt: number;
  result?: { status: number; body: unknown };
}

export type Begin =
  { kind: 'execute' } | { kind: 'replay'; status: number; body: unknown; originalRequest: string };

const DAY_MS = 24 * 60 * 60 * 1000;

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = DAY_MS) {}

  begin(account: string, key: string, endpoint: string, params: unknown, requestId: string): Begin {
    this.prune();
    const id = `${account}\u0000${key}`;
    const fingerprint = stableJson(params);
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { endpoint, fingerprint, requestId, createdAt: Date.now() });
      return { kind: 'execute' };
    }
    if (entry.endpoint !== endpoint)
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    if (entry.fingerprint !== fingerprint)
      throw idempotencyError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    if (!entry.result) throw keyInUseError();
    return { kind: 'replay', ...entry.result, originalRequest: entry.requestId };
  }

  complete(account: string, key: string, status: number, body: unknown): void {
    const entry = this.entries.get(`${account}\u0000${key}`);
    if (entry) entry.result = { status, body: structuredClone(body) };
  }

  /** Forgets a key whose request saved nothing, so a retry executes. */
  abandon(account: string, key: string): void {
    const id = `${account}\u0000${key}`;
    if (!this.entries.get(id)?.result) this.entries.delete(id);
  }

  /**
   * Forgets every completed key, as Stripe does after 24 hours (keys still executing stay):
   * lets a test prove that a retry after the window is settled from Stripe's objects instead.
   */
  expireCompleted(): number {
    let expired = 0;
    for (const [id, entry] of this.entries)
      if (entry.result) {
        this.entries.delete(id);
        expired++;
      }
    return expired;
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(): void {
    const cutoff = Date.now() - this.ttlMs;
    // Map iteration follows insertion order, so the oldest keys come first.
    for (const [id, entry] of this.entries) {
      if (entry.createdAt >= cutoff) break;
      if (entry.result) this.entries.delete(id);
    }
  }
}

/** JSON with object keys sorted, so equal parameters compare equal whatever their order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
