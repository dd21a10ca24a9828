// mailpit with its web page. `go install` builds the Go code only: the page's assets
// (/dist/app.js, /dist/app.css), which the Go build embeds, are made by npm from the web sources
// in the module's own directory. So: a writable copy of the module, `npm ci && npm run build`,
// then `go build`. Cached by version under its own key (`mailpit-ui-<version>`), so caches of
// the page-less build are never mistaken for this one.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildOnce, runWithProgress, writableModuleCopy } from './install';

const MODULE = 'github.com/axllent/mailpit';

export async function ensureMailpitWithUi(cacheDir: string, version: string): Promise<string> {
  const dir = path.join(cacheDir, 'go', `mailpit-ui-${version}`);
  await buildOnce(dir, 'mailpit', async (scratch) => {
    const started = Date.now();
    console.log(`  building mailpit ${version} with its web page (first run only, about 2 min) ...`);
    // npm and the Go build write into the module's tree.
    const src = await writableModuleCopy(MODULE, version, scratch);
    await runWithProgress(
      'mailpit web page: npm ci',
      'npm',
      ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
      {
        cwd: src,
      },
    );
    await runWithProgress('mailpit web page: npm run build', 'npm', ['run', 'build'], { cwd: src });
    await runWithProgress(
      'mailpit: go build',
      'go',
      ['build', '-trimpath', '-o', path.join(scratch, 'mailpit'), '.'],
      {
        cwd: src,
      },
    );
    // Only the binary is kept: the sources and their node_modules are hundreds of MB.
    rmSync(src, { recursive: true, force: true });
    console.log(
      `  mailpit ${version} with its web page: built in ${Math.round((Date.now() - started) / 1000)}s`,
    );
  });
  return path.join(dir, 'mailpit');
}
