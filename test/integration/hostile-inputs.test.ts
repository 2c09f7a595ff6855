/**
 * Hostile inputs (RELIABILITY.md cases 5, 6, 15, 16, 17, 18): names, symlinks, files that vanish or
 * change at the wrong moment, a watch folder that disappears, a corrupt ledger.
 */
import { appendFile, mkdir, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, LedgerError } from '../../src/core/ledger/ledger';
import { createHarness, sha256, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

let lab: LabServer;
let h: Harness;

describe.each(labServers)('hostile inputs on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());
  // Every case ends with RELIABILITY.md's invariants I1–I4 checked on what it left behind.
  afterEach(() => expectInvariantsThenCleanup(h));

  it('uploads hostile names under predictable keys, byte-identical', async () => {
    h = await createHarness(lab);
    // 255 bytes is the usual file-name limit; s3rver stores objects as files with a suffix, so less there.
    const long = `${'x'.repeat(Math.min(255, server.quirks.maxNameBytes) - 4)}.png`;
    const deep = `${Array.from({ length: 30 }, (_, i) => `d${i}`).join('/')}/deep.png`;
    const files: Record<string, string> = {
      'caf\u00e9 nfc.png': 'nfc',
      '🐱 cat #1?%+&=.png': 'emoji and reserved characters',
      'my folder/with spaces.png': 'spaces',
      [long]: 'long name',
      [deep]: 'deep path',
    };
    for (const [rel, data] of Object.entries(files)) await h.write(rel, data);
    const service = await h.open();
    const run = await service.runOnce();
    expect(run.files.filter((f) => f.state !== 'offloaded').map((f) => `${f.relPath}: ${f.lastError}`)).toEqual([]);
    expect(run.ok).toBe(true);
    expect(await h.keys()).toEqual(Object.keys(files).map((rel) => `results/${rel}`).sort());
    for (const [rel, data] of Object.entries(files)) expect((await h.object(`results/${rel}`))?.toString(), rel).toBe(data);
  });

  it('gives NFD and NFC spellings of one name (two files on Linux) one NFC key and a keep-both twin', async () => {
    h = await createHarness(lab);
    await h.write('cafe\u0301.png', 'decomposed');
    await h.write('caf\u00e9.png', 'composed');
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(await h.keys()).toEqual(['results/caf\u00e9-1.png', 'results/caf\u00e9.png']);
    const contents = await Promise.all((await h.keys()).map(async (k) => (await h.object(k))!.toString()));
    expect(contents.sort()).toEqual(['composed', 'decomposed']);
  });

  it('never follows or offloads symlinks: outside the folder, loops and dangling ones are recorded as skipped', async () => {
    h = await createHarness(lab);
    const outside = join(h.root, 'outside.png');
    await writeFile(outside, 'not yours');
    await h.write('real.png', 'real');
    await symlink(outside, join(h.watchDir, 'to-outside.png'));
    await symlink(join(h.root, 'nowhere.png'), join(h.watchDir, 'dangling.png'));
    await mkdir(join(h.watchDir, 'loop'));
    await symlink(h.watchDir, join(h.watchDir, 'loop', 'back-up'));
    await symlink(h.root, join(h.watchDir, 'to-parent'));
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(await h.keys()).toEqual(['results/real.png']);
    const skipped = service.log.list({ states: ['skipped'] }).map((r) => [r.relPath, r.errorCode]).sort();
    expect(skipped).toEqual([['dangling.png', 'symlink'], ['loop/back-up', 'symlink'], ['to-outside.png', 'symlink'], ['to-parent', 'symlink']]);
  });

  it('records a file deleted between detection and upload as vanished, with no remote object', async () => {
    h = await createHarness(lab);
    const service = await h.open();
    await service.start();
    service.queue.pause();
    const path = await h.write('gone.png', 'here, then not');
    await waitFor(() => service.log.latestForPath(path)?.state === 'queued', 10_000, 'queued');
    await unlink(path);
    h.written.delete(path); // deleted by the user (the test), not lost
    service.queue.resume();
    await waitFor(() => service.log.latestForPath(path)?.state === 'vanished', 10_000, 'vanished');
    expect(service.log.latestForPath(path)?.attempts).toBe(0); // noticed before any upload started
    expect(await h.keys()).toEqual([]);
  });

  it('abandons an upload when the file grows during it, then uploads the final bytes under the same key', async () => {
    h = await createHarness(lab);
    const path = await h.write('growing.mov', randomBytes(200_000));
    h.proxy.inject({ method: 'PUT', path: /growing\.mov/, times: 1, fault: { type: 'delay', ms: 600 } });
    const service = await h.open();
    await service.start();
    await waitFor(() => h.proxy.seen.some((r) => r.method === 'PUT'), 10_000, 'upload started');
    await appendFile(path, randomBytes(50_000));
    const final = await readFile(path);
    await waitFor(() => service.log.latestForPath(path)?.state === 'offloaded' && service.log.latestForPath(path)?.size === final.length, 20_000, 'final version offloaded');
    expect(await h.keys()).toEqual(['results/growing.mov']);
    expect(sha256((await h.object('results/growing.mov'))!)).toBe(sha256(final));
    expect(service.log.timeline(service.log.latestForPath(path)!.id).map((t) => t.state)).toContain('settling');
  });

  it('stops offloading from a watch folder that disappears and says so, never reading it as "all deleted"', async () => {
    h = await createHarness(lab);
    await h.write('one.png', 'one');
    await h.write('two.png', 'two');
    const service = await h.open();
    const notices: string[] = [];
    service.events.on('notice', (n) => notices.push(n.code));
    await service.start();
    await waitFor(() => service.status().counts.byState.offloaded === 2, 20_000, 'both offloaded');
    await rm(h.watchDir, { recursive: true, force: true });
    await waitFor(() => notices.includes('watch-folder-missing'), 10_000, 'watch folder notice');
    expect(service.status().counts).toEqual({ total: 2, byState: { offloaded: 2 } });
    expect(await h.keys()).toEqual(['results/one.png', 'results/two.png']);
  });
});

describe('a corrupt ledger', () => {
  it('is reported and kept with a backup copy, never reset', async () => {
    const dir = join(process.env.TMPDIR ?? '/tmp', `ledger-${process.pid}-${Date.now()}`);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'ledger.sqlite');
    const garbage = randomBytes(8192);
    await writeFile(file, garbage);
    expect(() => Ledger.open(file)).toThrow(LedgerError);
    expect(() => Ledger.open(file)).toThrow(/the offload log cannot be read .* A copy was kept at .*ledger\.sqlite\.corrupt-/);
    expect(await readFile(file)).toEqual(garbage);
    const backups = (await readdir(dir)).filter((f) => f.startsWith('ledger.sqlite.corrupt-'));
    expect(backups.length).toBeGreaterThan(0);
    expect(await readFile(join(dir, backups[0]!))).toEqual(garbage);
    await rm(dir, { recursive: true, force: true });
  });
});
