// The console is served by the order service under /console/ (same origin as the API), so every
// asset URL is built relative to that base. No CDN: everything the page needs is in dist/.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Small enough that one bundle is simplest; no source maps shipped to the browser.
    sourcemap: false,
  },
});
