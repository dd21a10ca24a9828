#!/usr/bin/env -S npx tsx
// `npm run bench -- --scenario steady|ramp|spike|mixed [--rate N] [--duration 30s] [--skip-ceilings]`
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBench } from './run-bench';
import { parseDuration } from './scenarios';
import { REPO_ROOT } from '@orders/stack/repo-root';

const USAGE = `usage: npm run bench -- [--scenario steady|ramp|spike|mixed] [--rate N] [--duration 30s]
                      [--skip-ceilings] [--ceiling-duration 20s] [--drain-timeout 120s]
                      [--engine-concurrency 100] [--http-workers 50] [--warmup 5]
                      [--out .stack/bench]
  Scenarios come from loadtest/scenarios.json. --rate and --duration replace a constant
  scenario's rate and length; for a ramping one, --rate scales the stages so the peak is N and
  --duration sets each stage's length. The stack is brought up if needed (STACK_DIR and the
  STACK_*_PORT variables choose which); the services and the worker are started on free ports
  for the run and stopped after it. The report goes to <out>/<scenario>-<time>.json (and .svg
  for ramping scenarios). --warmup is how many orders are placed and completed before the load
  (at most 8 at a time); the report records it.
`;

function options() {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'steady' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'skip-ceilings': { type: 'boolean', default: false },
      'ceiling-duration': { type: 'string', default: '20s' },
      'drain-timeout': { type: 'string', default: '120s' },
      'engine-concurrency': { type: 'string', default: '100' },
      'http-workers': { type: 'string', default: '50' },
      warmup: { type: 'string', default: '5' },
      out: { type: 'string', default: path.join(REPO_ROOT, '.stack', 'bench') },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const positive = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(value > 0)) throw new Error(`--${name} must be a positive number, not "${text}"`);
    return value;
  };
  return {
    scenario: values.scenario,
    overrides: {
      ...(values.rate !== undefined && { rate: positive('rate', values.rate) }),
      ...(values.duration !== undefined && { durationMs: parseDuration(values.duration) }),
    },
    skipCeilings: values['skip-ceilings'],
    ceilingMs: parseDuration(values['ceiling-duration']),
    drainTimeoutMs: parseDuration(values['drain-timeout']),
    engineConcurrency: positive('engine-concurrency', values['engine-concurrency'])!,
    httpWorkers: positive('http-workers', values['http-workers'])!,
    warmupOrders: Math.round(positive('warmup', values.warmup)!),
    outDir: path.resolve(values.out),
  };
}

try {
  const { report } = await runBench(options());
  const failed = report.thresholds.filter((t) => !t.pass);
  if (failed.length > 0) {
    console.error(`bench: thresholds not met: ${failed.map((t) => t.name).join(', ')}`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
