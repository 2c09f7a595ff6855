/**
 * Issue #15 through the built command: one offloader per ledger (the app's service and `offload watch`
 * refuse each other with the holder's details; after kill -9 of the holder the next takes over), and
 * `offload pause` / `offload resume` reach a running `offload watch` through the settings file.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OffloadService } from '../../src/core/service';
import { createHarness, secretsFor, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { runOffload, startOffload } from '../support/run-offload';

const rgw = labServers.find((s) => s.name === 'ceph-rgw')!;
let lab: LabServer;
let h: Harness;
let stopWatch: (() => Promise<void>) | null = null;

const credentials = () => ({
  OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId,
  OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey,
});

/** Starts `offload watch` and resolves once it is watching; `stop` ends it with the given signal. */
async function startWatch(): Promise<{ pid: number; stop: (signal: NodeJS.Signals) => Promise<void> }> {
  const { child, done } = startOffload(['watch', '--config', h.settingsFile], credentials());
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => stderr.includes('Ctrl+C to stop') || child.exitCode !== null, 30_000, 'offload watch started');
  expect(stderr).toContain('Ctrl+C to stop');
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await done;
  };
  stopWatch = () => stop('SIGTERM');
  return { pid: child.pid!, stop };
}

describe('one offloader per ledger, and pause through the settings file (ceph-rgw)', () => {
  beforeAll(async () => {
    lab = await rgw.start();
  });
  afterAll(async () => lab?.stop());
  afterEach(async () => {
    await stopWatch?.();
    stopWatch = null;
    await expectInvariantsThenCleanup(h);
  });

  it('refuses a second offloader with the holder\'s details, and takes over after the holder is killed', async () => {
    h = await createHarness(lab);
    const watch = await startWatch();
    const app = await OffloadService.open({ settingsFile: h.settingsFile, secrets: secretsFor(lab.users.main), role: 'the Offload Companion app' });
    try {
      await expect(app.start()).rejects.toMatchObject({ code: 'offloader-running', message: expect.stringContaining(`offload command (process ${watch.pid}`) });
      expect(app.status().problems.map((p) => p.code)).toEqual(['offloader-running']);
      // Read-only commands work alongside.
      expect((await runOffload(['status', '--config', h.settingsFile], credentials())).code).toBe(0);

      await watch.stop('SIGKILL'); // leaves its lock behind
      await app.start();
      expect(app.status().problems).toEqual([]);

      const second = await runOffload(['watch', '--once', '--config', h.settingsFile], credentials());
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/the Offload Companion app \(process \d+ on .*\) is already offloading .*\(offloader-running\)\n {2}fix: Quit the other one/);
    } finally {
      await app.close();
    }
    // The app's lock is gone with it: the command runs again.
    expect((await runOffload(['watch', '--once', '--config', h.settingsFile], credentials())).code).toBe(0);
  });

  it('offload pause and resume reach a running offload watch', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { settleMs: 100 } });
    await startWatch();
    const paused = await runOffload(['pause', '--config', h.settingsFile], credentials());
    expect([paused.code, paused.stdout.trim()]).toEqual([0, 'paused: nothing new is uploaded until `offload resume`']);
    expect((await runOffload(['status', '--config', h.settingsFile], credentials())).stdout).toContain('paused: user');
    await new Promise((r) => setTimeout(r, 1_000)); // the running watch reads the edit
    await h.write('while-paused.png', 'held');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await h.keys()).toEqual([]);

    expect((await runOffload(['resume', '--config', h.settingsFile], credentials())).code).toBe(0);
    await waitFor(async () => (await h.keys()).length === 1, 15_000, 'offloaded after resume');
    expect(await h.keys()).toEqual(['results/while-paused.png']);
    // Space figures (issue #14): what the storage holds, read from the log by a read-only command.
    await waitFor(async () => (await runOffload(['status', '--config', h.settingsFile], credentials())).stdout.includes('stored with studio-bucket: 1 files, 4 B; freed here: 0 B'), 10_000, 'status shows the stored file');
  });
});
