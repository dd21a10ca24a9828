// Text that PostgreSQL cannot store, found before it reaches a query. `text` and `jsonb` refuse
// U+0000 (the query fails, and a caller retrying it never succeeds); an unpaired UTF-16 surrogate
// is not Unicode text at all, and node-postgres would silently store U+FFFD in its place, so an
// idempotency key or a SKU would no longer be the one the client sent.
import type { FieldError } from './errors';

// One class, no quantifier: a single native scan that cannot backtrack. Valid surrogate pairs
// also match it; only then is the string looked at code unit by code unit.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** Why `value` cannot be stored, or undefined when it can. */
export function unstorableText(value: string): string | undefined {
  if (!SUSPECT.test(value)) return undefined;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0) return `must not contain U+0000 (NUL, at index ${i})`;
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return `must be valid Unicode text: an unpaired UTF-16 surrogate at index ${i}`;
  }
  return undefined;
}

type Segment = string | number;
interface Pending {
  value: unknown;
  segment: Segment | undefined;
  parent: Pending | undefined;
}

/**
 * The first string (object key or value) anywhere in `value` that cannot be stored, named by its
 * dotted path under `prefix` (`items.0.sku`). Iterative, so a deeply nested body cannot exhaust
 * the stack; paths are only spelled out for the one field that is reported.
 */
export function findUnstorableText(value: unknown, prefix?: string): FieldError | undefined {
  const stack: Pending[] = [{ value, segment: undefined, parent: undefined }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (typeof current === 'string') {
      const problem = unstorableText(current);
      if (problem) return { field: fieldName(prefix, item), message: problem };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--)
        stack.push({ value: current[i] as unknown, segment: i, parent: item });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i] as [string, unknown];
        const keyProblem = unstorableText(key);
        if (keyProblem)
          return {
            field: fieldName(prefix, { value: key, segment: escapeUnstorable(key), parent: item }),
            message: `property name ${keyProblem}`,
          };
        stack.push({ value: inner, segment: key, parent: item });
      }
    }
  }
  return undefined;
}

function fieldName(prefix: string | undefined, item: Pending): string {
  const segments: Segment[] = [];
  for (let at: Pending | undefined = item; at !== undefined; at = at.parent)
    if (at.segment !== undefined) segments.push(at.segment);
  return [prefix, ...segments.reverse().map(String)].filter((s) => s !== undefined && s !== '').join('.');
}

/** A field name safe to echo back: the characters that made it unstorable, escaped as \uXXXX. */
export function escapeUnstorable(name: string): string {
  return name.replace(SUSPECT_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const SUSPECT_GLOBAL = new RegExp(SUSPECT.source, 'g');
