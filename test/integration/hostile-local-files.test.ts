/**
 * Hostile local files (issue #20 finding 2, docs/SECURITY.md): someone who can write into the watch
 * folder swaps a folder for a symbolic link after a file settled. The engine works on the file it opened
 * and checks its real path, so it refuses: nothing from outside the folder is uploaded, and nothing
 * outside it is unlinked. The swap is made at an exact step, from the engine's own state events.
 */
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileState } from '../../src/shared/ledger';
import { createHarness, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

let lab: LabServer;
let h: Harness;

/**
 * Writes `shots/take.png` in the watch folder and a file of the same size and mtime outside it; returns
 * a function that replaces `shots/` with a link to the outside folder (the real folder is parked aside).
 */
async function folderAndDecoy(inside: string, outside: string) {
  const path = await h.write('shots/take.png', inside);
  const decoyDir = join(h.root, 'outside');
  await mkdir(decoyDir);
  const decoy = join(decoyDir, 'take.png');
  await writeFile(decoy, outside);
  const when = new Date(Date.now() - 60_000);
  await utimes(path, when, when);
  await utimes(decoy, when, when);
  const swap = () => {
    renameSync(join(h.watchDir, 'shots'), join(h.root, 'parked'));
    symlinkSync(decoyDir, join(h.watchDir, 'shots'));
  };
  return { path, decoy, swap };
}

/** Runs `swap` synchronously the first time the file enters `state`, before the engine's next step. */
function swapOn(service: { events: { on(name: 'fileChanged', fn: (row: { relPath: string; state: FileState }) => void): () => void } }, state: FileState, swap: () => void) {
  let done = false;
  service.events.on('fileChanged', (row) => {
    if (done || row.relPath !== 'shots/take.png' || row.state !== state) return;
    done = true;
    swap();
  });
}

describe.each(labServers)('hostile local files on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());
  afterEach(() => expectInvariantsThenCleanup(h));

  it('refuses a file whose folder became a link after it settled: nothing from outside is uploaded', async () => {
    h = await createHarness(lab);
    const { decoy, swap } = await folderAndDecoy('the real take', 'outside bytes');
    const service = await h.open();
    swapOn(service, 'queued', swap);
    await service.runOnce();
    expect(await h.keys()).toEqual([]);
    expect(service.log.list().find((r) => r.relPath === 'shots/take.png')).toMatchObject({ state: 'skipped', errorCode: 'outside-watch-folder' });
    expect(await readFile(decoy, 'utf8')).toBe('outside bytes');
    expect(await readFile(join(h.root, 'parked', 'take.png'), 'utf8')).toBe('the real take');
  });

  it('unlinks nothing outside the folder when the swap happens after the upload, before the removal', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    // Same bytes outside: only the path check stops the removal from taking the decoy.
    const { decoy, swap } = await folderAndDecoy('same bytes', 'same bytes');
    const service = await h.open();
    swapOn(service, 'verifying', swap);
    await service.runOnce();
    expect(await h.keys()).toEqual(['results/shots/take.png']);
    const row = service.log.list().find((r) => r.relPath === 'shots/take.png' && r.key !== null);
    expect(row).toMatchObject({ state: 'offloaded', errorCode: 'kept-local' });
    expect(row?.lastError).toMatch(/no longer the one that was uploaded/);
    expect(await readFile(decoy, 'utf8')).toBe('same bytes');
    expect(await readFile(join(h.root, 'parked', 'take.png'), 'utf8')).toBe('same bytes');
  });
});
