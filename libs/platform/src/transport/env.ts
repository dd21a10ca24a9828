// Env spellings the transport settings share.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

// `z.coerce.boolean()` would read "false" as true; env flags need an explicit spelling.
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** An optional setting where an empty value (as a chart renders an unset one) means unset. */
export const optionalSetting = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** Reads a PEM file named by a setting, with the setting's name in the error. */
export function readPem(setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`${setting}: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}
