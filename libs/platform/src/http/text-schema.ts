// A zod string for free text whose JSON Schema says exactly what is enforced, so a client or a
// fuzzer generating from the published document never sends a "valid" string the server refuses:
// - lengths count code points, as JSON Schema's minLength/maxLength do (zod's count UTF-16 units,
//   so 300 emoji would pass the document's maxLength 500 and fail here);
// - the pattern excludes U+0000, which the input guard refuses everywhere (text.ts says why);
// - `blank: false` requires a character that is not whitespace, with whitespace spelled out as
//   the exact set String.prototype.trim removes (JS and Python disagree on what `\s` means).
import { z } from 'zod';

const WHITESPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const NOT_BLANK = new RegExp(`[^${WHITESPACE}]`);

/** The document's pattern for any text: no NUL anywhere. */
export const STORABLE_TEXT_PATTERN = '^[^\\u0000]*$';
const NOT_BLANK_PATTERN = `^[^\\u0000]*[^\\u0000${WHITESPACE}][^\\u0000]*$`;

export interface TextOptions {
  max: number;
  /** Defaults to 1 when blank text is refused, else 0. */
  min?: number;
  /** Whether text of only whitespace is accepted (default true). */
  blank?: boolean;
  /** Stores the value without leading and trailing whitespace (checked before trimming). */
  trim?: boolean;
}

export function text({ max, blank = true, min = blank ? 0 : 1, trim = false }: TextOptions) {
  let schema = z
    .string()
    .refine((value) => codePoints(value, max + 1) >= min, {
      message: `must be at least ${min} character${min === 1 ? '' : 's'}`,
      abort: true,
    })
    .refine((value) => codePoints(value, max + 1) <= max, { message: `must be at most ${max} characters` });
  if (!blank) schema = schema.refine((value) => NOT_BLANK.test(value), { message: 'must not be blank' });
  if (trim) schema = schema.trim();
  return schema.meta({
    ...(min > 0 ? { minLength: min } : {}),
    maxLength: max,
    pattern: blank ? STORABLE_TEXT_PATTERN : NOT_BLANK_PATTERN,
  });
}

/** Code points in `value`, counting no further than `limit` (a bound is all a check needs). */
function codePoints(value: string, limit: number): number {
  // Without a surrogate, every UTF-16 unit is a code point.
  if (!/[\ud800-\udfff]/.test(value)) return value.length;
  let count = 0;
  for (const _ of value) if (++count >= limit) break;
  return count;
}
