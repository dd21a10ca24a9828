#!/usr/bin/env -S npx tsx
// `npm run bench:profiles -- <run log dir>/profiles [--top 12]`: where each thread's
// time went in a `BENCH_CPU_PROFILE=1` bench run (the profiles are written when the apps exit).
import { parseArgs } from 'node:util';
import { formatSummaries, summariseRun } from './profiles';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '12' } },
  allowPositionals: true,
});
const dir = positionals[0];
if (!dir) {
  process.stderr.write(
    'usage: npm run bench:profiles -- <dir with one folder of .cpuprofile files per app>\n',
  );
  process.exit(2);
}
process.stdout.write(`${formatSummaries(summariseRun(dir, Number(values.top)))}\n`);
