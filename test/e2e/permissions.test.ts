/**
 * A file the companion may not read (RELIABILITY.md): it fails with a clear cause, stays where it is,
 * and the other files are offloaded. Runs the command as the unprivileged user `nobody` through setpriv,
 * because root reads any file whatever its mode and such a test would prove nothing.
 */
import { chmod, chown, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { createHarness, type Harness } from '../support/engine-harness';
import { expectInvariants } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { NOBODY, startOffload } from '../support/run-offload';

let lab: LabServer;
let h: Harness;

async function chownTree(path: string, uid: number): Promise<void> {
  await chown(path, uid, uid);
  if ((await stat(path)).isDirectory()) for (const entry of await readdir(path)) await chownTree(join(path, entry), uid);
}

beforeAll(async () => {
  lab = await labServers[0]!.start();
});
afterAll(async () => {
  await h?.cleanup();
  await lab?.stop();
});

describe('as an unprivileged user', () => {
  it('fails an unreadable file with "permission denied", keeps it, and offloads the rest', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { settleMs: 100 } });
    await h.write('open.png', 'readable');
    const locked = await h.write('locked.png', 'not for you');
    await chownTree(h.root, NOBODY);
    await chmod(h.root, 0o755);
    await chmod(locked, 0o000);
    expect(process.getuid?.(), 'this test needs root to switch to nobody').toBe(0);

    const env = { OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey, HOME: h.root };
    const run = await startOffload(['watch', '--once', '--config', h.settingsFile], env, '', NOBODY).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed\s+locked\.png .*cannot read .*locked\.png: permission denied/);
    expect(await h.keys()).toEqual(['results/open.png']);
    expect((await stat(locked)).size).toBe('not for you'.length);
    const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
    expect(ledger.latestForPath(locked)).toMatchObject({ state: 'failed', errorCode: 'EACCES' });
    ledger.close();
    await expectInvariants(h);
  });
});
