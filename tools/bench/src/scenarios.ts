// The load scenarios, read from the file the k6 scripts share (loadtest/scenarios.json), and
// turned into what vegeta can run: successive constant-rate steps. vegeta paces one constant
// rate per attack, so a k6 ramping stage becomes one step at the stage's target rate.
import {
  loadScenarioFile as loadSharedFile,
  type Scenario,
  type ScenarioFile,
} from '@orders/loadtest/scenario-schema';
import { ZodError } from 'zod';

export type { Scenario, ScenarioFile };
export type Product = ScenarioFile['catalogue'][number];
export type Action = 'place' | 'follow' | 'cancel' | 'refund';
export const ACTIONS: Action[] = ['place', 'follow', 'cancel', 'refund'];
/** The mix with every action present (the file may leave out an action with no share). */
export type Mix = Record<Action, number>;

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** The shared file, validated by the schema the k6 scripts use (loadtest/scenario-schema.ts). */
export function loadScenarioFile(file?: URL | string): ScenarioFile {
  try {
    return loadSharedFile(file);
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    const issues = err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid scenario file: ${issues}`, { cause: err });
  }
}

export function mixOf(scenario: Pick<Scenario, 'mix'>): Mix {
  return Object.fromEntries(ACTIONS.map((a) => [a, scenario.mix[a] ?? 0])) as Mix;
}

/** k6 duration syntax ("30s", "2m", "1m30s", "500ms") in milliseconds. */
export function parseDuration(text: string): number {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) throw new Error(`"${text}" is not a duration like 30s or 2m`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  let total = 0;
  for (const [, value, u] of text.matchAll(DURATION_PART))
    total += Number(value) * unit[u as keyof typeof unit];
  return Math.round(total);
}

/** One vegeta attack: `rate` requests per second for `durationMs`; rate 0 is a pause. */
export interface Step {
  rate: number;
  durationMs: number;
}

export interface Overrides {
  /** Constant scenarios: the rate. Ramping ones: the peak, every stage scaled in proportion. */
  rate?: number;
  /** Constant scenarios: the run's length. Ramping ones: each stage's length. */
  durationMs?: number;
}

export function expandSteps(scenario: Scenario, overrides: Overrides = {}): Step[] {
  if (scenario.executor === 'constant-arrival-rate') {
    return [
      {
        rate: overrides.rate ?? scenario.rate,
        durationMs: overrides.durationMs ?? parseDuration(scenario.duration),
      },
    ];
  }
  const peak = Math.max(...scenario.stages.map((s) => s.target));
  const scale = overrides.rate !== undefined && peak > 0 ? overrides.rate / peak : 1;
  return scenario.stages.map((stage) => ({
    rate: round2(stage.target * scale),
    durationMs: overrides.durationMs ?? parseDuration(stage.duration),
  }));
}

/** How many requests of each action the steps will send, from the mix's shares. */
export function expectedCounts(steps: Step[], mix: Mix): Record<Action, number> {
  const requests = steps.reduce((sum, s) => sum + (s.rate * s.durationMs) / 1000, 0);
  const total = ACTIONS.reduce((sum, a) => sum + mix[a], 0);
  return Object.fromEntries(ACTIONS.map((a) => [a, Math.ceil((requests * mix[a]) / total)])) as Record<
    Action,
    number
  >;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
