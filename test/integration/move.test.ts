/**
 * Moving a storage's files to another (issue #14 "Move", src/core/offload/move-run.ts) against the lab
 * servers: to another bucket of the same server, and from one server to the other. Every file ends on
 * the target byte-identical with the log pointing there; with --delete-source the source copies go only
 * after that; a source object altered behind our back is refused and left as it was; `local` as the
 * source offloads the files kept on this machine. The invariants (I1–I4) are checked over both buckets
 * after each test.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadService } from '../../src/core/service';
import type { MoveFileResult } from '../../src/shared/move';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer, startLab } from '../support/lab-servers';
import { createHarness, PROVIDER_ID, sha256, type Harness } from '../support/engine-harness';
import { addSecondStorage, SECOND_ID, type SecondStorage } from '../support/second-storage';

const MiB = 1024 * 1024;
let h: Harness;
let second: SecondStorage | undefined;

afterEach(async () => {
  try {
    await expectInvariantsThenCleanup(h);
  } finally {
    await second?.stop();
    second = undefined;
  }
});

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Offloads three files to the first storage: one removed locally, one kept, one in parts (20 MiB). */
async function offloadThree(service: OffloadService): Promise<Record<string, Buffer>> {
  const files = { 'a.png': randomBytes(40_000), 'shots/b.mov': randomBytes(20 * MiB + 5), 'c.txt': Buffer.from('a small file') };
  for (const [rel, data] of Object.entries(files)) await h.write(rel, data);
  expect((await service.runOnce()).ok).toBe(true);
  return files;
}

async function movedRows(service: OffloadService): Promise<Map<string, ReturnType<OffloadService['log']['list']>[number]>> {
  return new Map(service.log.list().map((r) => [r.relPath, r]));
}

function describeMoves(source: () => LabServer, target: () => LabServer, label: string): void {
  it(`${label}: every file is copied, verified and the log points at the target; the source keeps its copies`, async () => {
    h = await createHarness(source());
    await h.configure({ retention: { rightAway: true } });
    second = await addSecondStorage(h, source(), target());
    const service = await h.open(second.secrets());
    const files = await offloadThree(service);
    const before = await h.keys();
    expect(before).toEqual(['results/a.png', 'results/c.txt', 'results/shots/b.mov']);

    const plan = service.move.plan(PROVIDER_ID, SECOND_ID);
    expect(plan).toMatchObject({ files: 3, bytes: 40_000 + 20 * MiB + 5 + 12, pendingDeletes: 0 });
    const seen: MoveFileResult[] = [];
    const { progress, results } = await service.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: false }, { onFile: (r) => seen.push(r) });
    expect(progress).toMatchObject({ phase: 'finished', files: { total: 3, done: 3, failed: 0 }, bytes: { total: plan.bytes, done: plan.bytes } });
    expect(results.map((r) => r.outcome)).toEqual(['moved', 'moved', 'moved']);
    expect(seen).toHaveLength(3);

    expect(await second.keys()).toEqual(['archive/a.png', 'archive/c.txt', 'archive/shots/b.mov']);
    const rows = await movedRows(service);
    for (const [rel, data] of Object.entries(files)) {
      expect(sha256((await second.object(`archive/${rel}`))!)).toBe(sha256(data));
      expect(rows.get(rel)).toMatchObject({ state: 'local-removed', providerId: SECOND_ID, bucket: second.bucket, key: `archive/${rel}` });
      expect(service.log.timeline(rows.get(rel)!.id).at(-1)?.detail).toBe(`moved from ${PROVIDER_ID} (${h.bucket}/results/${rel}) to ${SECOND_ID} (${second.bucket}/archive/${rel})`);
    }
    // Without --delete-source the first storage keeps its copies.
    expect(await h.keys()).toEqual(before);
    // The link follows the file; a bring-back comes from the target.
    const link = await service.log.link(rows.get('a.png')!.id, 300);
    expect(link.url).toContain(second.bucket);
    expect(sha256(Buffer.from(await (await fetch(link.url)).arrayBuffer()))).toBe(sha256(files['a.png']!));
    const restored = await service.log.restore(rows.get('shots/b.mov')!.id);
    expect(sha256(await readFile(restored.path))).toBe(sha256(files['shots/b.mov']!));
    h.written.delete(restored.path); // kept by the invariant check through the object anyway

    // Moved already: a second run has nothing to do.
    expect(service.move.plan(PROVIDER_ID, SECOND_ID).files).toBe(0);
    expect((await service.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: false })).results).toEqual([]);
  });

  it(`${label}: --delete-source deletes each source copy only once the target copy is verified`, async () => {
    h = await createHarness(source());
    second = await addSecondStorage(h, source(), target());
    const service = await h.open(second.secrets());
    const files = await offloadThree(service);
    // c.txt's copy cannot be verified (the target refuses the verifying HEAD): its source copy must stay.
    second.proxy.inject({ method: 'HEAD', path: /archive\/c\.txt$/, skip: 1, times: 100, fault: { type: 'respond', status: 403 } });
    const first = await service.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: true });
    expect(first.progress.files).toEqual({ total: 3, done: 2, failed: 1 });
    expect(first.results.find((r) => r.outcome === 'failed')).toMatchObject({ path: `${h.watchDir}/c.txt` });
    expect(await h.keys()).toEqual(['results/c.txt']);
    expect(service.log.latestForPath(`${h.watchDir}/c.txt`)).toMatchObject({ providerId: PROVIDER_ID, key: 'results/c.txt' });

    // Fixed: the next run finds c.txt's unverified copy identical, verifies it, and only then deletes the source.
    second.proxy.clear();
    const writes = second.proxy.seen.filter((r) => r.method === 'PUT').length;
    const again = await service.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: true });
    expect(again.results.map((r) => r.outcome)).toEqual(['already-there']);
    expect(second.proxy.seen.filter((r) => r.method === 'PUT').length).toBe(writes);
    expect(await h.keys()).toEqual([]);
    expect(await second.keys()).toEqual(['archive/a.png', 'archive/c.txt', 'archive/shots/b.mov']);
    for (const [rel, data] of Object.entries(files)) {
      expect(sha256((await second.object(`archive/${rel}`))!)).toBe(sha256(data));
      // Still here locally (the provider keeps local copies): nothing was lost either way.
      expect(await exists(`${h.watchDir}/${rel}`)).toBe(true);
      const row = service.log.latestForPath(`${h.watchDir}/${rel}`)!;
      expect(row).toMatchObject({ state: 'offloaded', providerId: SECOND_ID });
      expect(service.log.timeline(row.id).at(-1)?.detail).toBe(`deleted the source copy ${h.bucket}/results/${rel} on ${PROVIDER_ID} after the move`);
    }
  });
}

describe.each(labServers)('on $name', (server) => {
  let lab: LabServer;
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  describeMoves(
    () => lab,
    () => lab,
    'to another bucket',
  );

  it('refuses a file whose source object was altered behind our back, and leaves it exactly where it was', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    second = await addSecondStorage(h, lab, lab);
    const service = await h.open(second.secrets());
    const files = await offloadThree(service);
    const altered = Buffer.from('someone else wrote this over the object');
    await h.putRemote('results/a.png', altered);
    h.written.delete(`${h.watchDir}/a.png`); // its only copy was replaced behind our back: lost before the move

    const { progress, results } = await service.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: true });
    expect(progress.files).toEqual({ total: 3, done: 2, failed: 1 });
    const refused = results.find((r) => r.outcome === 'failed')!;
    expect(refused).toMatchObject({ path: `${h.watchDir}/a.png`, code: 'source-differs' });
    expect(refused.message).toContain('is not the file that was offloaded');
    // Left where it was: the source object untouched, the log still there, nothing on the target.
    expect((await h.object('results/a.png'))?.toString()).toBe(altered.toString());
    const row = service.log.latestForPath(`${h.watchDir}/a.png`)!;
    expect(row).toMatchObject({ state: 'local-removed', providerId: PROVIDER_ID, key: 'results/a.png' });
    expect(service.log.timeline(row.id).at(-1)?.detail).toContain(`not moved to ${SECOND_ID}`);
    expect(await second.keys()).toEqual(['archive/c.txt', 'archive/shots/b.mov']);
    expect((await second.s3.send(new ListMultipartUploadsCommand({ Bucket: second.bucket }))).Uploads ?? []).toEqual([]);
    for (const rel of ['c.txt', 'shots/b.mov']) expect(sha256((await second.object(`archive/${rel}`))!)).toBe(sha256(files[rel]!));
    // The invariants would rightly call a.png's row a lie now (the test replaced its only copy): forget it.
    h.testObjects.add('results/a.png');
    await service.storage.setActive('local');
    expect(await service.providers.remove(PROVIDER_ID, 'forget')).toHaveLength(1);
  });

  it('moves from local: the files skipped as already there are offloaded to the target, as uploads', async () => {
    h = await createHarness(lab);
    await h.configure({ watch: { offloadExisting: false } });
    const before = { 'old-1.png': randomBytes(30_000), 'old/2.png': randomBytes(9 * MiB) };
    for (const [rel, data] of Object.entries(before)) await h.write(rel, data);
    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect(service.log.list().map((r) => [r.relPath, r.state, r.errorCode]).sort()).toEqual([
      ['old-1.png', 'skipped', 'existing'],
      ['old/2.png', 'skipped', 'existing'],
    ]);
    expect(service.status().space.keptLocal.files).toBe(2);

    const plan = service.move.plan('local', PROVIDER_ID);
    expect(plan.files).toBe(2);
    const { progress } = await service.move.run({ from: 'local', to: PROVIDER_ID, deleteSource: false });
    expect(progress.files).toEqual({ total: 2, done: 2, failed: 0 });
    for (const [rel, data] of Object.entries(before)) {
      expect(sha256((await h.object(`results/${rel}`))!)).toBe(sha256(data));
      const row = service.log.latestForPath(`${h.watchDir}/${rel}`)!;
      expect(row).toMatchObject({ state: 'offloaded', providerId: PROVIDER_ID, key: `results/${rel}` });
      expect(service.log.timeline(row.id).at(-1)?.detail).toBe(`moved from this machine (kept as "existing") to ${PROVIDER_ID}`);
    }
    expect(service.status().space.keptLocal.files).toBe(0);
    // Nothing left to take, and the next run uploads nothing again.
    expect(service.move.plan('local', PROVIDER_ID).files).toBe(0);
    const writes = h.writes().length;
    expect((await service.runOnce()).ok).toBe(true);
    expect(h.writes().length).toBe(writes);
  });

  it('moves only the selected files when given their ids (the window\'s selection)', async () => {
    h = await createHarness(lab);
    second = await addSecondStorage(h, lab, lab);
    const service = await h.open(second.secrets());
    await offloadThree(service);
    const rows = await movedRows(service);
    const chosen = [rows.get('a.png')!.id, rows.get('c.txt')!.id];
    expect(service.move.plan(PROVIDER_ID, SECOND_ID, chosen)).toMatchObject({ files: 2, bytes: 40_012 });
    const { progress } = await service.move.run({ from: PROVIDER_ID, to: SECOND_ID, deleteSource: true, ids: chosen });
    expect(progress.files).toEqual({ total: 2, done: 2, failed: 0 });
    expect(await second.keys()).toEqual(['archive/a.png', 'archive/c.txt']);
    expect(await h.keys()).toEqual(['results/shots/b.mov']);
    expect(service.log.latestForPath(`${h.watchDir}/shots/b.mov`)).toMatchObject({ providerId: PROVIDER_ID });
  });

  it('says what is wrong with the two ends before anything moves', async () => {
    h = await createHarness(lab);
    const service = await h.open();
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
        return undefined;
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(code(() => service.move.plan(PROVIDER_ID, PROVIDER_ID))).toBe('same-storage');
    expect(code(() => service.move.plan(PROVIDER_ID, 'local'))).toBe('bad-target');
    expect(code(() => service.move.plan(PROVIDER_ID, 'nowhere'))).toBe('unknown-provider');
    expect(code(() => service.move.plan('nowhere', PROVIDER_ID))).toBe('unknown-provider');
  });
});

describe('between the two servers', () => {
  let s3rver: LabServer;
  let rgw: LabServer;
  beforeAll(async () => {
    s3rver = await startLab('s3rver');
    rgw = await startLab('ceph-rgw');
  });
  afterAll(async () => {
    await s3rver?.stop();
    await rgw?.stop();
  });

  describeMoves(
    () => s3rver,
    () => rgw,
    's3rver to Ceph RGW',
  );
});
