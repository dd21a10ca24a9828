// One run's settings: the scenario file's values, overridden by k6 `-e NAME=value` where a
// user needs to point elsewhere or tune the run without editing the shared file.
import {
  DEFAULT_TIMEOUTS,
  customerPoolSize,
  parseDuration,
  selectScenario,
  type Product,
  type RunTimeouts,
  type Scenario,
  type ScenarioFile,
} from './scenario-options.ts';

export interface RunSettings {
  file: ScenarioFile;
  name: string;
  scenario: Scenario;
  baseUrl: string;
  inventoryUrl: string;
  /** The inventory service's routes (the catalogue upsert) require the internal service token. */
  internalApiToken: string;
  catalogue: Product[];
  paymentMethod: string;
  /** Customers placements are spread over (minted runs only; given tokens are what they are). */
  customers: number;
  timeouts: RunTimeouts;
  followPolls: number;
  followIntervalSeconds: number;
  refundAmount: number;
  summaryFile: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function positiveInt(env: Record<string, string>, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`-e ${key}=${raw}: expected a positive whole number`);
  return n;
}

function seconds(env: Record<string, string>, key: string, fallback: number): number {
  const raw = env[key];
  return raw === undefined || raw === '' ? fallback : parseDuration(raw);
}

export function runSettings(fileText: string, name: string, env: Record<string, string>): RunSettings {
  const file = JSON.parse(fileText) as ScenarioFile;
  const scenario = selectScenario(file, name);
  const limit = positiveInt(env, 'PLACEMENT_LIMIT_PER_MINUTE', 60);
  return {
    file,
    name,
    scenario,
    baseUrl: trimSlash(env.BASE_URL || file.baseUrl),
    inventoryUrl: trimSlash(env.INVENTORY_URL || file.inventoryUrl),
    internalApiToken: env.INTERNAL_API_TOKEN || '',
    catalogue: file.catalogue,
    paymentMethod: env.PAYMENT_METHOD || 'pm_card_visa',
    customers: positiveInt(env, 'CUSTOMERS', customerPoolSize(scenario, limit)),
    timeouts: {
      prepareSeconds: seconds(env, 'PREPARE_TIMEOUT', DEFAULT_TIMEOUTS.prepareSeconds),
      settleSeconds: seconds(env, 'SETTLE_TIMEOUT', DEFAULT_TIMEOUTS.settleSeconds),
    },
    followPolls: positiveInt(env, 'FOLLOW_POLLS', 10),
    followIntervalSeconds: seconds(env, 'FOLLOW_INTERVAL', 0.5),
    refundAmount: positiveInt(env, 'REFUND_AMOUNT', 100),
    summaryFile: env.SUMMARY_FILE || `k6-${name}-summary.json`,
  };
}
