// Parse, don't validate: a handler gets the zod-parsed value or a 400 naming each bad field.
// Text the database cannot store is refused here too, whatever the schema says: for path
// parameters this is the one check (only the route knows their names); a body the input guard
// has already walked is not walked again.
import type { z } from 'zod';
import { ValidationError } from './errors';
import { alreadyChecked } from './input-guard';
import { findUnstorableText } from './text';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const unstorable = alreadyChecked(input) ? undefined : findUnstorableText(input, prefix);
  if (unstorable) throw new ValidationError([unstorable]);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
      message: issue.message,
    })),
  );
}
