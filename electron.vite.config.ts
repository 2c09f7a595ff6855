/**
 * Builds the three Electron bundles: out/main (ESM), out/preload (CommonJS, because sandboxed preloads
 * cannot be ES modules) and out/renderer (React).
 */
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __OFFLOAD_VERSION__: JSON.stringify(version) };

/**
 * The whole-app tests drive the tray through hooks in main (src/main/index.ts). They exist only in a
 * build asked for with OFFLOAD_BUILD_TEST_HOOKS=1 (test/support/build-test-app.ts); anywhere else the
 * constant is false and the bundler drops the hooks. A test build goes to its own folder, never to
 * out/, which is what gets packaged, so a stray variable cannot ship the hooks.
 */
const testHooks = process.env.OFFLOAD_BUILD_TEST_HOOKS === '1';
const outRoot = testHooks ? 'out-test-hooks' : 'out';

export default defineConfig({
  main: {
    define: { ...define, __OFFLOAD_TEST_HOOKS__: JSON.stringify(testHooks) },
    build: { outDir: resolve(outRoot, 'main'), rollupOptions: { input: { index: resolve('src/main/index.ts') } } },
  },
  preload: {
    build: {
      outDir: resolve(outRoot, 'preload'),
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    define,
    plugins: [react()],
    build: { outDir: resolve(outRoot, 'renderer'), rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
});
