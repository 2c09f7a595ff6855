/**
 * Test tiers, kept apart so the fast tier stays fast (STYLE.md §9):
 *   unit         pure logic, no I/O beyond temp files
 *   integration  the real S3 lab, the real OS keychain, real files
 *   e2e          the built renderer in real Chromium, backed by the real core
 *   electron     the whole app via Playwright's Electron support (skips where no Electron binary exists)
 *   bench        benchmarks (bench/), only when asked for
 * `npm test` runs all four inside test/support/with-keychain.sh.
 */
import { defineConfig } from 'vitest/config';

const define = { __OFFLOAD_VERSION__: JSON.stringify('0.0.0-test') };

export default defineConfig({
  define,
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { define, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        define,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          globalSetup: ['./test/support/rgw/global-setup.ts'],
        },
      },
      {
        define,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          globalSetup: ['./test/support/build-once.ts', './test/support/rgw/global-setup.ts'],
        },
      },
      { define, test: { name: 'electron', include: ['test/electron/**/*.test.ts'], testTimeout: 120_000, globalSetup: ['./test/support/build-test-app.ts'] } },
      // Benchmarks print figures and never assert timings; run only on request (npm run bench:*).
      {
        define,
        test: { name: 'bench', include: ['bench/**/*.bench.ts'], testTimeout: 900_000, globalSetup: ['./test/support/build-once.ts', './test/support/rgw/global-setup.ts'] },
      },
    ],
  },
});
