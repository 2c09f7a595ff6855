/**
 * The main bundle that gets packaged (out/main/index.js, built by test/support/build-once.ts exactly as
 * `npm run build` does) carries no test hooks: they exist only in the test build in out-test-hooks/
 * (test/support/build-test-app.ts), which the whole-app tests run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('production main bundle', () => {
  it('has no test hooks in it', () => {
    const bundle = readFileSync('out/main/index.js', 'utf8');
    expect(bundle).toContain('requestSingleInstanceLock'); // positive control: this is the app's main
    expect(bundle).not.toContain('__offloadTest');
    expect(bundle).not.toContain('OFFLOAD_TEST_HOOKS');
  });

  it('can run as the `offload` command (the Linux packages’ launcher starts it with --offload-cli)', () => {
    const bundle = readFileSync('out/main/index.js', 'utf8');
    expect(bundle).toMatch(/["'`]--offload-cli["'`]/);
    expect(bundle).toContain('offload watch'); // the command's usage text is bundled in
  });
});
