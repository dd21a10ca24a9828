// The parameters every Stripe list endpoint shares: `limit`, the cursors `starting_after` /
// `ending_before`, and range filters such as `created` (an exact unix time, or an object of
// gt / gte / lt / lte), read with Stripe's own error messages.
import { parameterError } from './errors';
import { assertKnown, optionalInteger, optionalString, type Params } from './params';

export interface Page {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

export function pageParams(params: Params): Page {
  const limit = optionalInteger(params, 'limit', 1) ?? 10;
  if (limit > 100) throw parameterError('This value must be less than or equal to 100.', 'limit');
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');
  if (startingAfter && endingBefore)
    throw parameterError(
      'You may only specify one of these parameters: ending_before, starting_after.',
      'ending_before',
    );
  return {
    limit,
    ...(startingAfter ? { startingAfter } : {}),
    ...(endingBefore ? { endingBefore } : {}),
  };
}

/** `created=1700000000` or `created[gte]=1700000000&created[lt]=…`; undefined when absent. */
export function rangeParam(params: Params, name: string): Range | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const exact = optionalInteger(params, name);
    return exact === undefined ? undefined : { gte: exact, lte: exact };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw parameterError(`Invalid ${name}: must be an integer or a hash of gt, gte, lt, lte`, name);
  // Named as Stripe names them in errors: created[gte].
  const flat: Params = Object.fromEntries(
    Object.entries(value as Params).map(([key, bound]) => [`${name}[${key}]`, bound]),
  );
  assertKnown(
    flat,
    RANGE_KEYS.map((key) => `${name}[${key}]`),
  );
  const range: Range = {};
  for (const key of RANGE_KEYS) {
    const bound = optionalInteger(flat, `${name}[${key}]`);
    if (bound !== undefined) range[key] = bound;
  }
  return range;
}

export function inRange(value: number, range: Range | undefined): boolean {
  if (!range) return true;
  return (
    (range.gt === undefined || value > range.gt) &&
    (range.gte === undefined || value >= range.gte) &&
    (range.lt === undefined || value < range.lt) &&
    (range.lte === undefined || value <= range.lte)
  );
}
