/**
 * Global setup for the whole-app tests: builds the app with its test hooks (OFFLOAD_BUILD_TEST_HOOKS=1)
 * into out-test-hooks/, apart from the production bundle in out/, which must never contain them
 * (test/e2e/production-bundle.test.ts). Skipped where the Electron binary is missing: the tests skip too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { electronBinary } from './electron-binary';

export const TEST_APP_MAIN = 'out-test-hooks/main/index.js';

export default function buildTestApp(): void {
  if ('missing' in electronBinary()) return;
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
    stdio: 'pipe',
    env: { ...process.env, OFFLOAD_BUILD_TEST_HOOKS: '1' },
  });
  // Positive control for the production check: the same source does build the hooks when asked.
  if (!readFileSync(TEST_APP_MAIN, 'utf8').includes('__offloadTest')) throw new Error(`${TEST_APP_MAIN} was built without the test hooks`);
}
