// Spike: a burst of placements; every order must be accepted and end terminal.
// The scenario's rates, VUs, mix and thresholds come from ../scenarios.json; see ../README.md.
//   k6 run -e JWT_SECRET=... loadtest/k6/spike.ts
import type { Options } from 'k6/options';
import { scenarioRun } from './lib/run.ts';

const run = scenarioRun(open('../scenarios.json'), 'spike');

export const options: Options = run.options;
export const setup = run.setup;
export default run.iteration;
export const teardown = run.teardown;
export const handleSummary = run.handleSummary;
