// A real browser for the console's tests: Debian's chromium (installed by the stack) driven by
// playwright-core, which downloads no browser. A failing step leaves a screenshot in
// services/console/test-results/ (git-ignored); with CONSOLE_SCREENSHOTS_DIR set, the tests also
// save the screenshots the README shows.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '@orders/stack/browser';

export const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'], headless: true });
}

/** Runs a test body; on failure saves what the page showed, named after the test. */
export async function withScreenshotOnFailure(page: Page, name: string, body: () => Promise<void>) {
  try {
    await body();
  } catch (err) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name.replace(/[^\w-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.log(`screenshot of the failed step: ${file}`);
    throw err;
  }
}

/** A screenshot for the documentation, only when asked for (CONSOLE_SCREENSHOTS_DIR=docs). */
export async function docsScreenshot(page: Page, name: string, fullPage = false) {
  const dir = process.env.CONSOLE_SCREENSHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
}
