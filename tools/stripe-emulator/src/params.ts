// Reading form-encoded Stripe parameters (already parsed by qs into strings, arrays and
// objects) with Stripe's own error codes and messages, so a malformed request fails here the
// way it would fail against the real API.
import { parameterError } from './errors';
import type { Metadata } from './types';

export type Params = Record<string, unknown>;

/** `expand` is accepted everywhere and ignored: the emulator returns ids, never expansions. */
export function assertKnown(params: Params, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (name !== 'expand' && !allowed.includes(name))
      throw parameterError(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
  }
}

function scalar(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw parameterError(`Invalid string: ${name}`, name, 'parameter_invalid_string');
  if (value === '')
    throw parameterError(
      `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
      name,
      'parameter_invalid_empty',
    );
  return value;
}

export function optionalString(params: Params, name: string, maxLength = 5000): string | undefined {
  const value = scalar(params, name);
  if (value !== undefined && value.length > maxLength)
    throw parameterError(`Invalid ${name}: must be at most ${maxLength} characters`, name);
  return value;
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined)
    throw parameterError(`Missing required param: ${name}.`, name, 'parameter_missing');
  return value;
}

export function optionalInteger(params: Params, name: string, min = 0): number | undefined {
  const value = scalar(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw parameterError(`Invalid integer: ${value}`, name, 'parameter_invalid_integer');
  const n = Number(value);
  if (n < min)
    throw parameterError(
      `This value must be greater than or equal to ${min}.`,
      name,
      'parameter_invalid_integer',
    );
  return n;
}

export function requiredInteger(params: Params, name: string, min = 0): number {
  const value = optionalInteger(params, name, min);
  if (value === undefined)
    throw parameterError(`Missing required param: ${name}.`, name, 'parameter_missing');
  return value;
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = scalar(params, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw parameterError(`Invalid boolean: ${value}`, name);
  return value === 'true';
}

export function optionalEnum<T extends string>(
  params: Params,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = scalar(params, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value))
    throw parameterError(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  return value as T;
}

export function optionalStringArray(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : typeof value === 'object' ? undefined : [value];
  if (!list || list.length === 0 || !list.every((v): v is string => typeof v === 'string' && v !== ''))
    throw parameterError(`Invalid array: ${name}`, name);
  return list;
}

export function optionalObject(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw parameterError(`Invalid object`, name);
  return value as Params;
}

/** Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. */
export function metadataParam(params: Params, name = 'metadata'): Metadata | undefined {
  const value = params[name];
  if (value === undefined || value === '') return value === '' ? {} : undefined;
  const object = optionalObject(params, name) ?? {};
  const entries = Object.entries(object);
  if (entries.length > 50) throw parameterError('Invalid metadata: metadata can have up to 50 keys', name);
  const metadata: Metadata = {};
  for (const [key, v] of entries) {
    const param = `${name}[${key}]`;
    if (typeof v !== 'string') throw parameterError(`Invalid string: ${param}`, param);
    if (key.length > 40)
      throw parameterError(
        `Metadata keys can have up to 40 characters, but you passed in a key that is ${key.length} characters.`,
        param,
      );
    if (v.length > 500)
      throw parameterError(
        `Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters.`,
        param,
      );
    // An empty value unsets the key, as on Stripe.
    if (v !== '') metadata[key] = v;
  }
  return metadata;
}
