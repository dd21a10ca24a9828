// Object ids like Stripe's: a type prefix and random base62 characters.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 % 62 skews a few characters slightly; ids only need to be unique, not uniform.
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export const newId = (prefix: 'pi' | 'pm' | 'ch' | 're' | 'txn' | 'req') =>
  `${prefix}_${prefix === 'req' ? randomToken(14) : `3${randomToken(23)}`}`;

export const unixNow = () => Math.floor(Date.now() / 1000);
