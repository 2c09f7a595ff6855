/**
 * The bucket view's engine side (src/core/facets/bucket.ts) against both lab servers: the listing of the
 * provider's prefix comes a page at a time (small pages here, so a few objects make several pages),
 * is kept in memory until Refresh, and marks the objects this machine's log knows; objects put there by
 * another client are added to the library as remote-only files, whose link works and which come back
 * byte-identical — and the next run neither uploads nor removes them. Keys outside the prefix are
 * refused with nothing added; adding twice changes nothing.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors';
import type { OffloadService } from '../../src/core/service';
import type { BucketObject } from '../../src/shared/bucket';
import { createHarness, PROVIDER_ID, sha256, type Harness } from '../support/engine-harness';
import { exists } from '../support/files';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

let lab: LabServer;
let h: Harness;

afterEach(() => expectInvariantsThenCleanup(h));

/** Every page of the listing, following the tokens; returns the objects and how many pages there were. */
async function listAll(service: OffloadService, pageSize: number): Promise<{ objects: BucketObject[]; pages: number }> {
  const objects: BucketObject[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await service.bucket.list(PROVIDER_ID, token, pageSize);
    expect(page.objects.length).toBeLessThanOrEqual(pageSize);
    objects.push(...page.objects);
    token = page.nextToken ?? undefined;
    pages++;
  } while (token);
  return { objects, pages };
}

/** ListObjectsV2 requests the engine sent (through the harness's proxy). */
const listings = (): number => h.proxy.seen.filter((r) => r.method === 'GET' && r.url.includes('list-type=2')).length;

const codeOf = (error: unknown): string | undefined => (error instanceof CoreError ? error.code : undefined);

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  it('lists the prefix page by page, keeps it until Refresh, and marks what the log knows', async () => {
    h = await createHarness(lab); // key prefix "results"
    const mine = ['a.png', 'b.png', 'day 2/c.mov'];
    for (const rel of mine) await h.write(rel, randomBytes(2_000));
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    const theirs = ['results/elsewhere-1.png', 'results/elsewhere-2.png', 'results/sub/elsewhere-3.png'];
    for (const key of theirs) await h.putRemote(key, `put by another client: ${key}`);
    // Outside the prefix: never listed (a prefix is a folder: "results" does not take "results-old/").
    await h.putRemote('results-old/old.png', 'not ours');
    await h.putRemote('elsewhere.png', 'not ours');

    const before = listings();
    const { objects, pages } = await listAll(service, 2);
    expect(pages).toBe(3);
    expect(listings() - before).toBe(3);
    expect(objects.map((o) => o.key).sort()).toEqual([...mine.map((rel) => `results/${rel}`), ...theirs].sort());
    const rows = service.log.list();
    for (const o of objects) {
      const row = rows.find((r) => r.key === o.key);
      expect(o.known, o.key).toBe(row ? row.id : null);
      expect(o.size).toBe(row ? row.size : Buffer.byteLength(`put by another client: ${o.key}`));
      expect(o.lastModified).toBeGreaterThan(Date.now() - 10 * 60_000);
    }

    // Read again: from memory, no request; an object added since shows after Refresh only.
    await h.putRemote('results/late.png', 'arrived after the listing');
    const first = await service.bucket.list(PROVIDER_ID, undefined, 2);
    const again = await listAll(service, 2);
    expect(listings() - before).toBe(3);
    expect(again.objects.map((o) => o.key)).toEqual(objects.map((o) => o.key));
    const refreshed = await service.bucket.refresh(PROVIDER_ID, 2);
    expect(refreshed.cachedAt).toBeGreaterThanOrEqual(first.cachedAt);
    expect((await listAll(service, 2)).objects.map((o) => o.key)).toContain('results/late.png');
    // The default page holds them all.
    const whole = await service.bucket.list(PROVIDER_ID);
    expect(whole.nextToken).toBeNull();
    expect(whole.objects).toHaveLength(objects.length + 1);
  });

  it('adds objects from another client to the library: link, bring back byte-identical, nothing uploaded again', async () => {
    h = await createHarness(lab);
    const service = await h.open();
    const plain = randomBytes(300_000);
    const stamped = randomBytes(5_000);
    await h.putRemote('results/shoot/plain.bin', plain);
    // Another Offload Companion's object carries its SHA-256 and mtime as metadata.
    await h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: 'results/stamped.png', Body: stamped, Metadata: { sha256: sha256(stamped), mtime: '2024-05-06T07:08:09.000Z' } }));
    h.testObjects.add('results/stamped.png');

    // Refused before anything is added: a key outside the prefix, a folder marker.
    for (const [keys, code] of [
      [['results/shoot/plain.bin', 'other/x.png'], 'outside-prefix'],
      [['results/shoot/'], 'not-a-file'],
    ] as const) {
      const refused = await service.bucket.adopt(PROVIDER_ID, keys).catch((e: unknown) => e);
      expect(codeOf(refused), keys.join(' ')).toBe(code);
      expect((refused as CoreError).fix).toBeTruthy();
      expect(service.log.list()).toEqual([]);
    }
    const missing = await service.bucket.adopt(PROVIDER_ID, ['results/never-there.png']).catch((e: unknown) => e);
    expect(codeOf(missing)).toBe('object-missing');

    const result = await service.bucket.adopt(PROVIDER_ID, ['results/shoot/plain.bin', 'results/stamped.png']);
    expect(result.alreadyKnown).toEqual([]);
    expect(result.added).toHaveLength(2);
    const [p, s] = result.added;
    expect(p).toMatchObject({ state: 'local-removed', errorCode: 'adopted', providerId: PROVIDER_ID, bucket: h.bucket, key: 'results/shoot/plain.bin', path: join(h.watchDir, 'shoot/plain.bin'), relPath: 'shoot/plain.bin', size: plain.length, sha256: sha256(plain) });
    expect(s).toMatchObject({ state: 'local-removed', errorCode: 'adopted', path: join(h.watchDir, 'stamped.png'), sha256: sha256(stamped), mtimeMs: Date.parse('2024-05-06T07:08:09.000Z') });
    expect(service.log.timeline(p!.id).at(-1)?.detail).toBe(`added to the library from ${h.bucket}/results/shoot/plain.bin (uploaded from another machine or tool; SHA-256 computed by reading it)`);
    expect(service.log.timeline(s!.id).at(-1)?.detail).toContain('SHA-256 from its metadata');
    // Nothing was freed on this machine by them.
    expect(service.status().space.storages).toEqual([{ providerId: PROVIDER_ID, files: 2, bytes: plain.length + stamped.length, freedBytes: 0 }]);

    // Adding again changes nothing; the listing marks both.
    const twice = await service.bucket.adopt(PROVIDER_ID, ['results/stamped.png']);
    expect(twice).toEqual({ added: [], alreadyKnown: [{ key: 'results/stamped.png', id: s!.id }] });
    expect(service.log.list()).toHaveLength(2);
    const page = await service.bucket.refresh(PROVIDER_ID);
    expect(Object.fromEntries(page.objects.map((o) => [o.key, o.known]))).toEqual({ 'results/shoot/plain.bin': p!.id, 'results/stamped.png': s!.id });

    // The link works (presigned: the provider has no public URL) and gives the object's bytes.
    const link = await service.log.link(p!.id);
    expect(link.expiresIn).toBe(3600);
    const fetched = await fetch(link.url);
    expect(fetched.status).toBe(200);
    expect(sha256(Buffer.from(await fetched.arrayBuffer()))).toBe(sha256(plain));

    // Brought back: byte-identical, at its path, with the recorded mtime.
    for (const [row, bytes] of [
      [p!, plain],
      [s!, stamped],
    ] as const) {
      const back = await service.log.restore(row.id);
      expect(back).toMatchObject({ path: row.path, keptOther: false, row: { state: 'offloaded', errorCode: 'restored' } });
      expect(sha256(await readFile(row.path))).toBe(sha256(bytes));
      h.written.set(row.path, sha256(bytes));
    }
    expect(Math.abs((await stat(s!.path)).mtimeMs - Date.parse('2024-05-06T07:08:09.000Z'))).toBeLessThan(0.01);

    // The next run knows them: nothing is uploaded again or removed.
    const writes = h.writes().length;
    expect((await service.runOnce()).ok).toBe(true);
    expect(h.writes()).toHaveLength(writes);
    expect(await exists(p!.path)).toBe(true);
    expect(service.log.list()).toHaveLength(2);
  });

  it('never gives an adopted file the path of a local file: it goes beside, "(from bucket)"; adopting at once twice makes one row', async () => {
    h = await createHarness(lab);
    const local = await h.write('clash.png', 'a local file of that name, not offloaded');
    const service = await h.open();
    await h.putRemote('results/clash.png', 'the bucket object of that name');
    // Asked twice at once (a double click): one row, and the other request says it is known.
    const both = await Promise.all([service.bucket.adopt(PROVIDER_ID, ['results/clash.png']), service.bucket.adopt(PROVIDER_ID, ['results/clash.png'])]);
    const added = both.flatMap((r) => r.added);
    expect(added).toHaveLength(1);
    expect(both.flatMap((r) => r.alreadyKnown)).toEqual([{ key: 'results/clash.png', id: added[0]!.id }]);
    expect(service.log.list()).toHaveLength(1);
    expect(added[0]).toMatchObject({ path: join(h.watchDir, 'clash (from bucket).png'), relPath: 'clash (from bucket).png', key: 'results/clash.png' });
    expect(service.log.latestForPath(local)).toBeNull();
    await service.log.restore(added[0]!.id);
    expect((await readFile(join(h.watchDir, 'clash (from bucket).png'))).toString()).toBe('the bucket object of that name');
    expect((await readFile(local)).toString()).toBe('a local file of that name, not offloaded');
    h.written.set(join(h.watchDir, 'clash (from bucket).png'), sha256('the bucket object of that name'));
  });

  it('says what to do when there is no watch folder to place them under', async () => {
    h = await createHarness(lab);
    const service = await h.open();
    await service.watch.remove(h.watchDir);
    await h.putRemote('results/x.png', 'x');
    const refused = await service.bucket.adopt(PROVIDER_ID, ['results/x.png']).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('no-watch-folder');
    expect((refused as CoreError).fix).toContain('Add a watch folder');
  });
});
