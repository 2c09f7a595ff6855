/**
 * The local retention policy (issue #19) against both lab servers, with real files:
 *   - "after N days" with the policy's clock moved forward, pins (a file, a folder), a file changed since
 *     its upload (kept, and offloaded again), and `restore` bringing a removed copy back;
 *   - "when space runs low" on a small file system of fixed size made here (tmpfs, root only): a
 *     generator fills it while `offload watch` runs, and the policy removes the oldest verified copies
 *     until the mark is met — never a pinned or an unverified file.
 * I1–I4 hold after each (test/support/invariants.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadService } from '../../src/core/service';
import { createHarness, sha256, waitFor, type Harness } from '../support/engine-harness';
import { exists } from '../support/files';
import { expectInvariants, expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

const DAY = 86_400_000;
const MiB = 1024 * 1024;

/** tmpfs needs root (CAP_SYS_ADMIN); CI runs as root. Tried once: a mount that fails says why. */
function tmpfsProblem(): string | null {
  if (process.platform !== 'linux') return 'tmpfs mounts are Linux only';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  return null;
}
const noTmpfs = tmpfsProblem();

let lab: LabServer;

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  describe('after N days, pins and changed files', () => {
    let h: Harness;
    afterEach(() => expectInvariantsThenCleanup(h));

    it('removes copies of age only, never a pinned one or one changed since; restore brings one back', async () => {
      h = await createHarness(lab);
      await h.configure({ retention: { afterDays: 7 } });
      let clock = Date.now();
      const data = { a: randomBytes(50_000), b: randomBytes(3 * MiB + 5), c: randomBytes(20_000), d: randomBytes(30_000) };
      const a = await h.write('a.png', data.a);
      const b = await h.write('b.mov', data.b);
      const c = await h.write('album/c.png', data.c);
      const d = await h.write('d.png', data.d);
      const service = await h.open(undefined, { retention: { now: () => clock } });
      expect((await service.runOnce()).ok).toBe(true);
      for (const path of [a, b, c, d]) expect(service.log.latestForPath(path)?.state).toBe('offloaded');
      service.retention.pin([join(h.watchDir, 'album')]);

      clock += 6 * DAY;
      expect((await service.retention.plan()).candidates).toEqual([]);
      expect((await service.retention.apply()).removed).toEqual([]);

      // Changed after its upload (same size would still differ in mtime): never removed as it is now.
      await appendFile(d, 'more');
      h.written.set(d, sha256(await readFile(d)));

      clock += 2 * DAY;
      const plan = await service.retention.plan();
      expect(plan.candidates.map((x) => x.path).sort()).toEqual([a, b, d].sort());
      expect(plan.bytes).toBe(data.a.length + data.b.length + data.d.length);
      const report = await service.retention.apply();
      expect(report.removed.map((x) => x.path).sort()).toEqual([a, b].sort());
      expect(report.removed.every((x) => x.reason === 'age')).toBe(true);
      expect(report.freedBytes).toBe(data.a.length + data.b.length);
      expect(report.kept).toEqual([expect.objectContaining({ path: d, reason: expect.stringContaining('changed since it was offloaded') })]);
      expect(await exists(a)).toBe(false);
      expect(await exists(b)).toBe(false);
      expect(await readFile(c)).toEqual(data.c); // pinned by its folder
      expect(sha256(await readFile(d))).toBe(h.written.get(d));
      expect(service.log.latestForPath(a)).toMatchObject({ state: 'local-removed' });
      expect(service.log.timeline(service.log.latestForPath(a)!.id).at(-1)?.detail).toBe('the local copy was removed by the retention policy (its age)');

      const offloadedAt = service.log.latestForPath(b)!.timestamps.offloaded!;
      const restored = await service.log.restore(service.log.latestForPath(b)!.id);
      expect(restored.path).toBe(b);
      expect(await readFile(b)).toEqual(data.b);
      // Brought back on purpose: its age counts from the restore (the log's clock is the real one).
      expect(restored.row.timestamps.offloaded!).toBeGreaterThan(offloadedAt);
      clock = restored.row.timestamps.offloaded! + 6 * DAY;
      expect((await service.retention.plan()).candidates.map((x) => x.path)).not.toContain(b);

      // The changed file is offloaded again as a new version; then it may leave like any other.
      expect((await service.runOnce()).ok).toBe(true);
      expect(service.log.latestForPath(d)?.state).toBe('offloaded');
      service.retention.unpin([join(h.watchDir, 'album')]);
      clock = Date.now() + 8 * DAY;
      expect((await service.retention.apply()).removed.map((x) => x.path).sort()).toEqual([b, c, d].sort());
    });
  });

  describe('a watch folder whose drive is not there', () => {
    let h: Harness;
    afterEach(() => expectInvariantsThenCleanup(h));

    it('is never read as every file removed: an empty mount point keeps the records as they are', async () => {
      h = await createHarness(lab);
      const data = randomBytes(20_000);
      const a = await h.write('shots/a.png', data);
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      await service.settings.saveRetention({ rightAway: true, afterDays: null, lowSpace: null, moveToTrash: false });
      expect((await service.retention.plan()).candidates.map((x) => x.path)).toEqual([a]);
      // The drive unplugged: its mount point is an empty folder.
      const away = `${h.watchDir}-unplugged`;
      await rename(h.watchDir, away);
      await mkdir(h.watchDir);
      const report = await service.retention.apply();
      expect(report.removed).toEqual([]);
      expect(report.gone).toEqual([]);
      expect(report.kept).toEqual([expect.objectContaining({ path: a })]);
      expect(service.log.latestForPath(a)?.state).toBe('offloaded');
      // Plugged back in: the file is there, recorded as it was, and the policy now removes it properly.
      await rm(h.watchDir, { recursive: true });
      await rename(away, h.watchDir);
      expect((await service.retention.apply()).removed.map((x) => x.path)).toEqual([a]);
      expect(await exists(a)).toBe(false);
    });
  });

  describe.skipIf(noTmpfs !== null)(`when space runs low, on a 48 MiB tmpfs${noTmpfs ? ` (skipped: ${noTmpfs})` : ''}`, () => {
    it('removes the oldest verified copies until the mark is met, never a pinned or unverified one; restore brings one back', async () => {
      const h = await createHarness(lab);
      const disk = join(h.root, 'disk');
      await mkdir(disk);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', disk]);
      let service: OffloadService | null = null;
      try {
        const results = join(disk, 'results');
        await mkdir(results);
        await h.configure({ watch: { path: results }, retention: { lowSpace: { below: 50, unit: '%' } }, upload: { settleMs: 100 } });
        const write = async (name: string, bytes: Buffer) => {
          const path = join(results, name);
          await writeFile(path, bytes);
          h.written.set(path, sha256(bytes));
          return path;
        };
        await mkdir(join(results, 'keep'));
        const pinned = await write('keep/reference.png', randomBytes(3 * MiB));
        const excluded = await write('render.tmp', randomBytes(MiB)); // excluded: never offloaded
        // Refused by the bucket: `failed`, never verified — and the oldest file, first in line by age.
        h.proxy.inject({ method: 'PUT', path: /broken\.png/, times: 100, fault: { type: 'respond', status: 403, body: '<Error><Code>AccessDenied</Code><Message>denied</Message></Error>' } });
        const unverified = await write('broken.png', randomBytes(MiB));
        service = await h.open(undefined, { retention: { diskCheckMs: 100, afterOffloadMs: 50 } });
        service.retention.pin([join(results, 'keep')]);
        await service.start();

        // The generator: 12 renders of 3 MiB, each written in chunks, one every 150 ms — 36 MiB more on a
        // disk with 43 MiB free, where the policy keeps 24 MiB free.
        const renders: string[] = [];
        for (let i = 0; i < 12; i++) {
          const bytes = randomBytes(3 * MiB);
          const path = join(results, `render-${String(i).padStart(2, '0')}.png`);
          for (let at = 0; at < bytes.length; at += MiB) await appendFile(path, bytes.subarray(at, at + MiB));
          h.written.set(path, sha256(bytes));
          renders.push(path);
          await new Promise((r) => setTimeout(r, 150));
        }
        const s = service;
        const free = async () => {
          const fs = await statfs(results);
          return { free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize };
        };
        await waitFor(
          async () => renders.every((p) => ['offloaded', 'local-removed'].includes(s.log.latestForPath(p)?.state ?? '')) && (await free()).free >= (await free()).total / 2,
          60_000,
          'every render verified and the disk back above its mark',
        );
        await s.stop(); // the schedule stops with the engine: what is left is what the policy did

        const { free: freeBytes, total } = await free();
        expect(freeBytes).toBeGreaterThanOrEqual(total / 2);
        expect(await readFile(pinned).then(sha256)).toBe(h.written.get(pinned));
        expect(await readFile(unverified).then(sha256)).toBe(h.written.get(unverified));
        expect(s.log.latestForPath(unverified)?.state).toBe('failed');
        expect(await readFile(excluded).then(sha256)).toBe(h.written.get(excluded));
        const rows = renders.map((p) => s.log.latestForPath(p)!);
        const removed = rows.filter((r) => r.state === 'local-removed');
        const kept = rows.filter((r) => r.state === 'offloaded');
        expect(removed.length).toBeGreaterThan(0);
        expect(kept.length).toBeGreaterThan(0);
        for (const r of removed) expect(await exists(r.path), r.path).toBe(false);
        for (const r of kept) expect(await exists(r.path), r.path).toBe(true);
        // Oldest first: no copy kept is older than one removed.
        const newestRemoved = Math.max(...removed.map((r) => r.timestamps.offloaded!));
        expect(Math.min(...kept.map((r) => r.timestamps.offloaded!))).toBeGreaterThanOrEqual(newestRemoved);
        const figures = await s.retention.figures();
        expect(figures.disks[0]).toMatchObject({ watchRoot: results, markBytes: Math.round(total / 2) });
        expect(figures.freedBytes).toBe(removed.reduce((sum, r) => sum + r.size, 0));

        const back = await s.log.restore(removed[0]!.id);
        expect(await readFile(back.path).then(sha256)).toBe(h.written.get(removed[0]!.path));

        // A copy changed since its upload is never removed, even when it is the oldest and space is short:
        // the oldest kept render is changed (the engine is stopped, so it is not offloaded again), then
        // the disk is filled under its mark with a file that is never offloaded.
        const changed = kept.sort((x, y) => x.timestamps.offloaded! - y.timestamps.offloaded!)[0]!.path;
        const changedBytes = Buffer.concat([await readFile(changed), Buffer.from('retouched')]);
        await writeFile(changed, changedBytes);
        h.written.set(changed, sha256(changedBytes));
        const now = await free();
        await write('filler.tmp', randomBytes(Math.max(0, now.free - Math.floor(now.total * 0.45))));
        const report = await s.retention.apply();
        expect(report.kept).toContainEqual(expect.objectContaining({ path: changed, reason: expect.stringContaining('changed since it was offloaded') }));
        expect(report.removed.map((r) => r.path)).not.toContain(changed);
        expect(sha256(await readFile(changed))).toBe(h.written.get(changed));
        await expectInvariants(h);
      } finally {
        await service?.stop();
        await h.stopServices();
        execFileSync('umount', [disk]);
        await h.cleanup();
      }
    });
  });
});
