/**
 * Builds the headless `offload` command into out/cli/offload.js. Dependencies stay external (an SSR
 * build does that by default), so the command loads the same node_modules as the tests.
 */
import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __OFFLOAD_VERSION__: JSON.stringify(version) },
  build: {
    ssr: 'src/cli/offload.ts',
    outDir: 'out/cli',
    target: 'node22',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { format: 'es', entryFileNames: 'offload.js' } },
  },
});
