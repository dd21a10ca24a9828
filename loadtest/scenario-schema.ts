// The schema of loadtest/scenarios.json, the one definition of the load scenarios shared by the
// k6 scripts (loadtest/k6) and the local bench. Node-side only: k6 cannot load zod, so the k6
// scripts rely on this file having been validated by the tests, and on the plain types in
// k6/lib/scenario-options.ts, which the type check below keeps in step with this schema.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ScenarioFile as PlainScenarioFile } from './k6/lib/scenario-options';

/** k6 duration syntax: one or more number+unit groups, e.g. 30s, 1m30s, 500ms. */
const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, 'must be a k6 duration such as 30s, 2m or 1m30s');

// k6 counts iterations per timeUnit in whole numbers.
const rate = z.number().int().nonnegative();
const share = z.number().min(0).max(1);

const mix = z
  .object({ place: share, follow: share, cancel: share, refund: share })
  .partial()
  .strict()
  .refine((m) => Math.abs(Object.values(m).reduce((a, b) => a + b, 0) - 1) < 1e-6, {
    message: 'the shares of the actions must add up to 1',
  });

const thresholds = z
  .object({
    /** Highest accepted share of failed HTTP requests (k6 http_req_failed). */
    errorRate: z.number().min(0).max(1),
    /** p99 of POST /v1/orders, in milliseconds. */
    placeP99Ms: z.number().positive(),
    /** p99 of place -> COMPLETED from the order's own timestamps, in milliseconds. */
    completionP99Ms: z.number().positive(),
    /** Lowest accepted share of the run's orders that are terminal once the run has settled. */
    terminalRate: z.number().min(0).max(1),
  })
  .partial()
  .strict();

const common = {
  description: z.string().min(1),
  preAllocatedVUs: z.number().int().positive(),
  maxVUs: z.number().int().positive(),
  mix,
  setup: z.object({ ordersToPrepare: z.number().int().nonnegative() }).strict().optional(),
  thresholds,
};

export const scenarioSchema = z
  .discriminatedUnion('executor', [
    z
      .object({
        executor: z.literal('constant-arrival-rate'),
        rate: rate.positive(),
        duration,
        ...common,
      })
      .strict(),
    z
      .object({
        executor: z.literal('ramping-arrival-rate'),
        startRate: rate,
        stages: z.array(z.object({ target: rate, duration }).strict()).min(1),
        ...common,
      })
      .strict(),
  ])
  .refine((s) => s.maxVUs >= s.preAllocatedVUs, {
    message: 'maxVUs must be at least preAllocatedVUs',
    path: ['maxVUs'],
  })
  .refine((s) => !s.mix.refund || (s.setup?.ordersToPrepare ?? 0) > 0, {
    message: 'refunds act on completed orders prepared in setup: set setup.ordersToPrepare',
    path: ['setup'],
  });

const product = z
  .object({
    sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
    name: z.string().min(1).max(200),
    unitPrice: z.number().int().positive(),
    currency: z.string().regex(/^[a-z]{3}$/),
    onHand: z.number().int().positive(),
    maxPerOrder: z.number().int().positive(),
  })
  .strict();

/** The scripts the repository ships; each needs its scenario in the file. */
export const BUILT_IN_SCENARIOS = ['steady', 'ramp', 'spike', 'mixed'] as const;

export const scenarioFileSchema = z
  .object({
    $comment: z.string().optional(),
    baseUrl: z.url(),
    inventoryUrl: z.url(),
    catalogue: z
      .array(product)
      .min(1)
      .refine((items) => new Set(items.map((p) => p.sku)).size === items.length, 'each sku once')
      .refine((items) => new Set(items.map((p) => p.currency)).size === 1, {
        message: 'an order is sold in one currency, so the catalogue must use one',
      }),
    scenarios: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/), scenarioSchema)
      .refine((s) => BUILT_IN_SCENARIOS.every((name) => name in s), {
        message: `the scenarios ${BUILT_IN_SCENARIOS.join(', ')} are required (each has a script)`,
      }),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;

/** The file as it ships with the repository. */
export const SCENARIOS_PATH = new URL('./scenarios.json', import.meta.url);

/** Reads and validates a scenario file; throws a ZodError naming the bad fields. */
export function loadScenarioFile(path: URL | string = SCENARIOS_PATH): ScenarioFile {
  return scenarioFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

// Compile-time guard: a validated file is what the k6 side's plain types expect.
const _plainTypesMatch = (file: ScenarioFile): PlainScenarioFile => file;
void _plainTypesMatch;
