// npm run capacity -- [--report <path>] [--smtp-ms <ms>] [--write]
// Prints the capacity plan for 150k, 1 M, 10 M and 100 M orders/day; with --write regenerates
// the generated part of deploy/SCALING.md (between its capacity markers).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spliceGenerated } from './format';
import { generate, SCALING_DOC } from './generate';
import { REPO_ROOT } from '@orders/stack/repo-root';

const { values } = parseArgs({
  options: {
    report: { type: 'string' },
    'smtp-ms': { type: 'string' },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('npm run capacity -- [--report loadtest/reports/<run>.json] [--smtp-ms 100] [--write]');
  process.exit(0);
}
const smtp = values['smtp-ms'] === undefined ? undefined : Number(values['smtp-ms']);
if (smtp !== undefined && !(smtp >= 0)) throw new Error(`--smtp-ms must be a number of milliseconds`);
const report =
  values.report === undefined
    ? undefined
    : path.relative(REPO_ROOT, path.resolve(process.env.INIT_CWD ?? process.cwd(), values.report));
const generated = generate({ report, smtpSendMs: smtp });
console.log(generated);
if (values.write) {
  writeFileSync(SCALING_DOC, spliceGenerated(readFileSync(SCALING_DOC, 'utf8'), generated));
  console.error(`\nwrote the generated part of ${path.relative(REPO_ROOT, SCALING_DOC)}`);
}
