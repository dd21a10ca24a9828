// Builds the console when dist/ is missing or older than its sources: the hash of every input
// file is kept in dist/.build-hash, so an unchanged console costs nothing at start or test time.
// Run by scripts/start.sh and scripts/test.sh, and by the browser tests before they begin.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-hash');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? files(full) : [full];
    })
    .sort();
}

export function sourceHash() {
  const hash = createHash('sha256');
  const inputs = [
    ...files(path.join(root, 'src')),
    path.join(root, 'index.html'),
    path.join(root, 'vite.config.ts'),
    path.join(root, 'package.json'),
  ];
  for (const file of inputs) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

export async function ensureBuilt({ quiet = false } = {}) {
  const wanted = sourceHash();
  const fresh =
    existsSync(path.join(dist, 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === wanted;
  if (fresh) {
    if (!quiet) console.log('console: build is up to date');
    return false;
  }
  const started = Date.now();
  console.log('console: building the support console (vite build) ...');
  const { build } = await import('vite');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stamp, `${wanted}\n`);
  console.log(`console: built in ${((Date.now() - started) / 1000).toFixed(1)}s (${dist})`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  ensureBuilt().catch((err) => {
    console.error(`console: build failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}
