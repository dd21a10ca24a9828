// zod -> JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) for the document: every schema
// with a meta id becomes one `components.schemas` entry and is referenced by `$ref` wherever
// it appears, instead of being repeated inline.
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const DEFS = '#/$defs/';
const COMPONENTS = '#/components/schemas/';

export interface JsonSchemaCollector {
  /** The schema to use at this place of the document: a `$ref` when it has an id, else inline. */
  add(schema: z.ZodType, io: 'input' | 'output'): JsonSchema;
  readonly components: Record<string, JsonSchema>;
}

export function jsonSchemas(): JsonSchemaCollector {
  const components: Record<string, JsonSchema> = {};
  return {
    components,
    add(schema, io) {
      // Requests are described as clients send them (before defaults and coercion), responses as sent.
      const generated = z.toJSONSchema(schema, {
        target: 'draft-2020-12',
        io,
        // zod closes every response object (`additionalProperties: false`); a response may gain
        // fields in a later version and problem documents carry extension members, so only
        // objects declared strict stay closed.
        override: ({ zodSchema, jsonSchema }) => {
          const def = zodSchema._zod.def;
          if (io === 'output' && def.type === 'object' && def.catchall === undefined)
            delete jsonSchema.additionalProperties;
        },
      }) as JsonSchema;
      const { $schema: _dialect, $defs, ...root } = generated;
      for (const [id, definition] of Object.entries(($defs ?? {}) as Record<string, unknown>)) {
        const component = relink(definition) as JsonSchema;
        const existing = components[id];
        // One id, two shapes (e.g. a schema whose input and output differ) would make every $ref ambiguous.
        if (existing && JSON.stringify(existing) !== JSON.stringify(component))
          throw new Error(`schema id ${id} has two different JSON Schemas (as request and as response?)`);
        components[id] = component;
      }
      return relink(root) as JsonSchema;
    },
  };
}

/** Points `#/$defs/X` references (zod's, within one schema) at the document's components. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith(DEFS)
        ? COMPONENTS + inner.slice(DEFS.length)
        : relink(inner),
    ]),
  );
}
