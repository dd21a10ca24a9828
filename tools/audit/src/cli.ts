#!/usr/bin/env -S npx tsx
// `npm run audit -- [--since <ISO>] [--json] ...`: exit 0 when consistent, 1 on any violation,
// 2 when the audit could not run (bad usage, a source unreachable).
import { runAudit } from './audit';
import { USAGE, UsageError, resolveOptions } from './options';
import { humanReport } from './report';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  const { options, json } = resolveOptions(argv);
  const report = await runAudit({ ...options, progress: (line) => process.stderr.write(`audit: ${line}\n`) });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : humanReport(report));
  process.exitCode = report.ok ? 0 : 1;
} catch (err) {
  if (err instanceof UsageError) process.stderr.write(`audit: ${err.message}\n\n${USAGE}`);
  else
    process.stderr.write(`audit: could not complete: ${err instanceof Error ? err.message : String(err)}\n`);
  // Other sources may still be reading; their answers no longer matter.
  process.exit(2);
}
