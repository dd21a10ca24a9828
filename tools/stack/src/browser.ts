// A real browser for the console's and the mail page's tests: Debian's chromium, driven by
// playwright-core (which downloads no browser of its own). Installed on first `up` when missing.
import { existsSync } from 'node:fs';
import { runWithProgress } from './install';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0)
    throw new Error(
      `no browser at ${CHROMIUM_PATH}: install the Debian package chromium (or set CHROMIUM_PATH) for the browser tests`,
    );
  await runWithProgress('installing chromium for the browser tests (apt, first run only)', 'bash', [
    '-c',
    'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium',
  ]);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium installed, but ${CHROMIUM_PATH} is not there`);
  return CHROMIUM_PATH;
}
