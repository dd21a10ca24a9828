// One scenario of scenarios.json as the functions a k6 script exports. Each script opens the
// file itself (open() is init-context only, and a path relative to the script that calls it
// is unambiguous) and hands its text here with the scenario's name.
import { setupRun, teardownRun, type RunData } from './lifecycle.ts';
import { runIteration } from './actions.ts';
import { toK6Options, type K6Options } from './scenario-options.ts';
import { runSettings } from './settings.ts';
import { summarize, type SummaryData } from './summary.ts';

export interface ScenarioRun {
  options: K6Options;
  setup: () => RunData;
  iteration: (data: RunData) => void;
  teardown: (data: RunData) => void;
  handleSummary: (data: SummaryData) => Record<string, string>;
}

export function scenarioRun(scenariosJson: string, name: string): ScenarioRun {
  const settings = runSettings(scenariosJson, name, __ENV);
  return {
    options: toK6Options(settings.file, name, settings.timeouts),
    setup: () => setupRun(settings, __ENV),
    iteration: (data) => runIteration(settings, data),
    teardown: (data) => teardownRun(settings, data),
    handleSummary: (data) => summarize(settings, data),
  };
}
