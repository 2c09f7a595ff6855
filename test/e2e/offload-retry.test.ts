/**
 * Failed files through the built command (issue #14): a run that fails names the file and exits 1, and
 * so does every later run while it stays failed (a failed row is final, so before this each later run
 * said "0 of 0" and exited 0); once the cause is fixed, `offload retry --failed` — or simply the next
 * `offload watch --once` — offloads it and exits 0.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, type Harness } from '../support/engine-harness';
import { expectInvariants } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload } from '../support/run-offload';

let lab: LabServer;
let h: Harness;
const credentials = (secret = lab.users.main.secretAccessKey) => ({
  OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
  OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: secret,
});
const lastLine = (stdout: string): string | undefined => stdout.trim().split('\n').at(-1);

function ledgerRow(rel: string) {
  const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
  try {
    return ledger.latestForPath(join(h.watchDir, rel));
  } finally {
    ledger.close();
  }
}

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    h = await createHarness(lab);
    await h.configure({ upload: { settleMs: 200, maxAttempts: 1 } });
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  it('watch --once names a failed file and exits 1 on every run until fixed; retry --failed offloads it', async () => {
    await h.write('day1/take.mov', 'first take');
    const failed = await runOffload(['watch', '--once', '--config', h.settingsFile], credentials('wrong-secret'));
    expect(failed.code).toBe(1);
    expect(lastLine(failed.stdout)).toBe('0 of 1 files offloaded; not offloaded: day1/take.mov (failed)');
    expect(ledgerRow('day1/take.mov')).toMatchObject({ state: 'failed', attempts: 1 });

    // Still wrong: the file gets a fresh attempt (not "0 of 0"), and is named again.
    const again = await runOffload(['watch', '--once', '--config', h.settingsFile], credentials('wrong-secret'));
    expect(again.code).toBe(1);
    expect(lastLine(again.stdout)).toBe('0 of 1 files offloaded; not offloaded: day1/take.mov (failed)');
    expect(ledgerRow('day1/take.mov')).toMatchObject({ state: 'failed', attempts: 1 });

    const retried = await runOffload(['retry', '--failed', '--config', h.settingsFile], credentials());
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('retrying      day1/take.mov');
    expect(lastLine(retried.stdout)).toBe('1 of 1 files offloaded');
    expect(ledgerRow('day1/take.mov')).toMatchObject({ state: 'offloaded', lastError: null });
    expect((await h.object('results/day1/take.mov'))?.toString()).toBe('first take');

    // Nothing failed any more: retry says so and exits 0; a file that is fine cannot be retried (exit 2).
    const nothing = await runOffload(['retry', '--failed', '--config', h.settingsFile], credentials());
    expect([nothing.code, nothing.stdout.trim()]).toEqual([0, 'no failed files to retry']);
    const notFailed = await runOffload(['retry', resolve(h.watchDir, 'day1/take.mov'), '--config', h.settingsFile], credentials());
    expect(notFailed.code).toBe(2);
    expect(notFailed.stderr).toContain('day1/take.mov is offloaded: only failed files and conflicts can be retried (not-retryable)');
    await expectInvariants(h);
  });

  it('after the cause is fixed, the next watch --once offloads a failed file; retry PATH names one', async () => {
    await h.write('day2/a.wav', 'a');
    await h.write('day2/b.wav', 'b');
    const failed = await runOffload(['watch', '--once', '--config', h.settingsFile], credentials('wrong-secret'));
    expect(failed.code).toBe(1);
    expect(lastLine(failed.stdout)).toMatch(/^0 of 2 files offloaded; not offloaded: day2\/[ab]\.wav \(failed\), day2\/[ab]\.wav \(failed\)$/);

    const one = await runOffload(['retry', join(h.watchDir, 'day2/a.wav'), '--config', h.settingsFile], credentials('wrong-secret'));
    expect(one.code).toBe(1);
    expect(one.stdout).toContain('retrying      day2/a.wav');
    expect(one.stdout).not.toContain('retrying      day2/b.wav');

    const fixed = await runOffload(['watch', '--once', '--config', h.settingsFile], credentials());
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    expect(lastLine(fixed.stdout)).toBe('2 of 2 files offloaded');
    expect((await h.object('results/day2/a.wav'))?.toString()).toBe('a');
    expect((await h.object('results/day2/b.wav'))?.toString()).toBe('b');

    const usage = await runOffload(['retry', '--config', h.settingsFile]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('retry: name the files to retry, or give --failed');
    await expectInvariants(h);
  });
});
