/**
 * Bringing locally removed files back (LogFacet.restore, src/core/offload/restore.ts) against both lab
 * servers: byte-identical, with their mtimes, never over a different file, verified against the log's
 * SHA-256 (a changed object is refused and leaves nothing), and never uploaded or removed again by the
 * next run.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors';
import { restoredName } from '../../src/core/offload/restore';
import { exists } from '../support/files';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { createHarness, sha256, type Harness } from '../support/engine-harness';

let lab: LabServer;
let h: Harness;

afterEach(() => expectInvariantsThenCleanup(h));

/** Every entry under the watch folder, hidden ones included (a temporary file left behind would show). */
async function entries(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  it('brings removed files back byte-identical with their mtimes; a following run uploads nothing and removes nothing', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const small = randomBytes(40_000);
    const large = randomBytes(3 * 1024 * 1024 + 17);
    const a = await h.write('a.png', small);
    const b = await h.write('shots/day 1/b.bin', large);
    await utimes(a, new Date(), new Date('2024-03-01T10:00:00.123Z'));
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(await exists(a)).toBe(false);
    expect(await exists(b)).toBe(false);

    for (const [path, data] of [
      [a, small],
      [b, large],
    ] as const) {
      const row = service.log.latestForPath(path)!;
      expect(row.state).toBe('local-removed');
      const result = await service.log.restore(row.id);
      expect(result).toMatchObject({
        path,
        keptOther: false,
        row: { id: row.id, state: 'offloaded', errorCode: 'restored', path },
      });
      expect(sha256(await readFile(path))).toBe(sha256(data));
      expect(Math.abs((await stat(path)).mtimeMs - row.mtimeMs)).toBeLessThan(0.01);
      expect(service.log.timeline(row.id).at(-1)).toMatchObject({
        state: 'offloaded',
        detail: `restored from ${h.bucket}/${row.key}`,
      });
    }
    expect(Math.abs((await stat(a)).mtimeMs - Date.parse('2024-03-01T10:00:00.123Z'))).toBeLessThan(0.01);
    expect(await entries(h.watchDir)).toEqual(['a.png', 'shots/day 1/b.bin']);
    // Brought back already: a second request is refused, and nothing changes.
    const again = await service.log.restore(service.log.latestForPath(a)!.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CoreError);
    expect(again).toMatchObject({ code: 'already-local' });

    await h.stopServices();
    const writes = h.writes().length;
    const rows = service.log.list().length;
    const next = await h.open();
    expect((await next.runOnce()).ok).toBe(true);
    expect(h.writes().length).toBe(writes);
    expect(next.log.list()).toHaveLength(rows);
    expect(sha256(await readFile(a))).toBe(sha256(small));
    expect(sha256(await readFile(b))).toBe(sha256(large));
    expect(next.log.latestForPath(a)).toMatchObject({ state: 'offloaded', errorCode: 'restored' });
  });

  it('keeps a different file at the path: the copy goes beside it as "name (restored).ext", and is not uploaded again', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const original = randomBytes(10_000);
    const path = await h.write('c.png', original);
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    const row = service.log.latestForPath(path)!;
    expect(row.state).toBe('local-removed');
    await h.stopServices();
    await writeFile(path, 'a new file saved under the same name');
    h.written.set(path, sha256('a new file saved under the same name'));

    const result = await service.log.restore(row.id);
    const beside = restoredName(path, 1);
    expect(beside).toBe(join(h.watchDir, 'c (restored).png'));
    expect(result).toMatchObject({
      path: beside,
      keptOther: true,
      row: { id: row.id, state: 'offloaded', errorCode: 'restored', path: beside, relPath: 'c (restored).png' },
    });
    expect((await readFile(path)).toString()).toBe('a new file saved under the same name');
    expect(sha256(await readFile(beside))).toBe(sha256(original));
    expect(service.log.timeline(row.id).at(-1)?.detail).toBe(
      `restored from ${h.bucket}/${row.key}; a different file was at ${path}, so it was kept and the restored copy is ${beside}`,
    );
    expect(await entries(h.watchDir)).toEqual(['c (restored).png', 'c.png']);

    // The next run offloads the new file at c.png as usual, but not the restored copy.
    const next = await h.open();
    expect((await next.runOnce()).ok).toBe(true);
    expect(h.writes().filter((w) => decodeURIComponent(w.url).includes('restored'))).toEqual([]);
    expect(next.log.latestForPath(beside)).toMatchObject({ id: row.id, state: 'offloaded' });
    expect(sha256(await readFile(beside))).toBe(sha256(original));
  });

  it('refuses an object whose bytes are not the ones offloaded, and leaves nothing behind', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const original = randomBytes(50_000);
    const path = await h.write('d.png', original);
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    const row = service.log.latestForPath(path)!;
    // Someone replaces the object behind the engine's back: same size, other bytes, and even the
    // checksum metadata copied over, so only hashing the bytes tells.
    const put = (body: Buffer) =>
      h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: row.key!, Body: body, Metadata: { sha256: sha256(original) } }));
    await put(randomBytes(50_000));
    const refused = await service.log.restore(row.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CoreError);
    expect(refused).toMatchObject({ code: 'restore-checksum-mismatch' });
    expect((refused as CoreError).fix).toBeTruthy();
    expect(await entries(h.watchDir)).toEqual([]);
    expect(service.log.row(row.id)).toMatchObject({ state: 'local-removed', path });
    // Put the offloaded bytes back, so the invariants see the bucket the log describes.
    await put(original);
  });

  it('refuses a file that is not offloaded, and one whose provider is gone', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const path = await h.write('e.png', randomBytes(1000));
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    const row = service.log.latestForPath(path)!;
    await h.stopServices();
    const skipped = await h.write('f.png', 'x');
    await h.configure({ activeStorage: 'local' });
    const local = await h.open();
    expect((await local.runOnce()).ok).toBe(true);
    await expect(local.log.restore(local.log.latestForPath(skipped)!.id)).rejects.toMatchObject({ code: 'not-offloaded' });
    await h.stopServices();
    await h.configure({ provider: { id: 'another-bucket' } });
    const gone = await h.open();
    await expect(gone.log.restore(row.id)).rejects.toMatchObject({ code: 'provider-gone' });
    expect(await exists(path)).toBe(false);
  });
});
