// One Idempotency-Key per intended action: the same action sent again (a double click, a retry
// after a lost answer) reuses its key, so the server does it once; a different action (another
// amount or other items) gets a new key, since the API refuses a key reused for something else.
export function newKey(): string {
  // randomUUID needs a secure context; a console reached over plain HTTP on another host falls back.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class ActionKeys {
  private readonly keys = new Map<string, string>();
  /** The key of this action, the same each time the same action is asked for. */
  keyFor(action: string): string {
    let key = this.keys.get(action);
    if (!key) {
      key = newKey();
      this.keys.set(action, key);
    }
    return key;
  }
}
