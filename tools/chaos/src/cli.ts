#!/usr/bin/env -S npx tsx
// `npm run chaos -- [--orders N] [--rate R/s] [--seed S] [--json] [--no-faults] [--keep]`
import { USAGE, parseOptions } from './options';
import { runChaos } from './run-chaos';

let stopping = false;
let signals = 0;
// The first Ctrl-C lets the run tear down (faults cleared, killed parts restarted, apps
// stopped); a second one leaves at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    stopping = true;
    console.error(`chaos: ${signal}: stopping — clearing faults, restarting what is down, stopping the apps`);
  });
}

try {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(USAGE);
  } else {
    const { report } = await runChaos(options, () => stopping);
    if (report.audit.status === 'missing') console.error('chaos: audit missing');
    process.exitCode = stopping ? 130 : report.ok ? 0 : 1;
  }
} catch (err) {
  console.error(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
