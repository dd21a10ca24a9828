// Steady: a constant arrival rate of placements, the everyday load.
// The scenario's rates, VUs, mix and thresholds come from ../scenarios.json; see ../README.md.
//   k6 run -e JWT_SECRET=... loadtest/k6/steady.ts
import type { Options } from 'k6/options';
import { scenarioRun } from './lib/run.ts';

const run = scenarioRun(open('../scenarios.json'), 'steady');

export const options: Options = run.options;
export const setup = run.setup;
export default run.iteration;
export const teardown = run.teardown;
export const handleSummary = run.handleSummary;
