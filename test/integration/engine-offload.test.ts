/**
 * The engine end to end against the S3 lab: watch → settle → upload → verify → ledger, with real files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { OffloadService } from '../../src/core/service';
import { createHarness, headObject, sha256, type Harness } from '../support/engine-harness';

let lab: LabServer;
let h: Harness;

// Every case ends with RELIABILITY.md's invariants I1–I4 checked on what it left behind.
afterEach(() => expectInvariantsThenCleanup(h));

const quietIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (l: string) => out.push(l), err: (l: string) => err.push(l), lines: out, errors: err };
};

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  describe('offloading a folder', () => {
    it('uploads nested mixed files under prefix + relative path, byte-identical, and never temporary names', async () => {
      h = await createHarness(lab);
      const files: Record<string, Buffer> = {
        'portraits/2026/cat.png': randomBytes(20_000),
        'video/clip.mp4': randomBytes(150_000),
        'notes.txt': Buffer.from('prompt: a cat in a hat'),
        'deep/a/b/c/render.exr': randomBytes(5_000),
      };
      const ignored = ['temp_cat.png', 'half.tmp', 'video/clip.mp4.part', 'dl.crdownload', 'x.download', '~lock.png', '.hidden.png', '.cache/thumb.png', 'temp_dir/x.png'];
      for (const [rel, data] of Object.entries(files)) await h.write(rel, data);
      for (const rel of ignored) await h.write(rel, 'partial');

      const service = await h.open();
      const { ok, files: touched } = await service.runOnce();
      expect(ok).toBe(true);
      expect(await h.keys()).toEqual(Object.keys(files).map((rel) => `results/${rel}`).sort());
      for (const [rel, data] of Object.entries(files)) {
        expect(sha256((await h.object(`results/${rel}`))!), rel).toBe(sha256(data));
      }
      expect(touched.map((t) => t.relPath).sort()).toEqual(Object.keys(files).sort());

      const row = service.log.latestForPath(join(h.watchDir, 'video/clip.mp4'))!;
      expect(row).toMatchObject({ state: 'offloaded', providerId: 'studio-bucket', bucket: h.bucket, key: 'results/video/clip.mp4', sha256: sha256(files['video/clip.mp4']!) });
      expect(row.timestamps.verifying).toBeLessThanOrEqual(row.timestamps.offloaded!);
      const head = await headObject(h, 'results/video/clip.mp4');
      expect(head?.metadata.sha256).toBe(sha256(files['video/clip.mp4']!));

      // `offload url` gives a presigned link that fetches the same bytes.
      await service.close();
      const io = quietIo();
      expect(await runCli(['url', '--config', h.settingsFile, join(h.watchDir, 'video/clip.mp4')], io, { ...process.env, OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey })).toBe(0);
      const res = await fetch(io.lines[0]!);
      expect(res.status).toBe(200);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(files['video/clip.mp4']!));
    });

    it('gives the public URL when one is set, and it serves the object', async () => {
      h = await createHarness(lab);
      await lab.makePublic(h.bucket);
      await h.configure({ provider: { publicUrl: `${lab.endpoint}/${h.bucket}` } });
      await h.write('shots/one shot #1.png', 'public bytes');
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      const link = await service.log.linkForPath(join(h.watchDir, 'shots/one shot #1.png'));
      expect(link).toEqual({ url: `${lab.endpoint}/${h.bucket}/results/shots/one%20shot%20%231.png`, expiresIn: null });
      expect(await (await fetch(link.url)).text()).toBe('public bytes');
    });

    it('uploads a zero-byte file and verifies it', async () => {
      h = await createHarness(lab);
      await h.write('empty.png', Buffer.alloc(0));
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      expect(await headObject(h, 'results/empty.png')).toMatchObject({ size: 0, metadata: { sha256: sha256(Buffer.alloc(0)) } });
      expect(h.writes().map((w) => w.headers['content-md5'])).toEqual([createHash('md5').update(Buffer.alloc(0)).digest('base64')]);
      expect(service.log.latestForPath(join(h.watchDir, 'empty.png'))?.state).toBe('offloaded');
    });

    it('uploads a 70 MB file in parallel parts and verifies its whole-content checksum and multipart ETag', async () => {
      h = await createHarness(lab);
      const data = randomBytes(70 * 1024 * 1024);
      await h.write('renders/long.mp4', data);
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      // In part-number order: parts go out concurrently, so they need not arrive in it.
      const partNumber = (url: string): number => Number(/partNumber=(\d+)/.exec(url)?.[1]);
      const partPuts = h
        .writes()
        .filter((w) => w.url.includes('partNumber='))
        .sort((a, b) => partNumber(a.url) - partNumber(b.url));
      expect(partPuts).toHaveLength(9); // 8 MiB parts
      // Every part carries the MD5 computed while hashing, so the server refuses bytes that changed since.
      partPuts.forEach((put, i) => expect(put.headers['content-md5']).toBe(createHash('md5').update(data.subarray(i * 8 * 1024 * 1024, (i + 1) * 8 * 1024 * 1024)).digest('base64')));
      const head = await headObject(h, 'results/renders/long.mp4');
      expect(head?.metadata.sha256).toBe(sha256(data));
      // RGW (like S3) gives md5(part md5s)-N; s3rver gives the whole file's MD5. The engine accepted
      // either only because it equals what the engine computed from the bytes it read.
      const partMd5s = Array.from({ length: 9 }, (_, i) => createHash('md5').update(data.subarray(i * 8 * 1024 * 1024, (i + 1) * 8 * 1024 * 1024)).digest());
      expect(head?.etag).toBe(
        lab.quirks.multipartEtag === 'parts' ? `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-9` : createHash('md5').update(data).digest('hex'),
      );
      expect(sha256((await h.object('results/renders/long.mp4'))!)).toBe(sha256(data));
    });

    it('records files that were already there as skipped unless "also offload files already there" is on', async () => {
      h = await createHarness(lab);
      await h.configure({ watch: { offloadExisting: false } });
      await h.write('old.png', 'from before');
      const service = await h.open();
      await service.start();
      await h.write('new.png', 'after start');
      await waitForState(service, join(h.watchDir, 'new.png'), 'offloaded');
      expect(service.log.latestForPath(join(h.watchDir, 'old.png'))).toMatchObject({ state: 'skipped', errorCode: 'existing' });
      expect(await h.keys()).toEqual(['results/new.png']);
    });
  });

  describe('finished files only', () => {
    it('uploads a slowly written file once, with its final bytes', async () => {
      h = await createHarness(lab);
      await h.configure({ upload: { settleMs: 800 } });
      const service = await h.open();
      await service.start();
      const path = join(h.watchDir, 'slow.mp4');
      const chunks: Buffer[] = [];
      for (let i = 0; i < 12; i++) {
        chunks.push(randomBytes(10_000));
        await writeFile(path, Buffer.concat(chunks));
        await new Promise((r) => setTimeout(r, 250));
      }
      await waitForState(service, path, 'offloaded');
      expect(h.writes().filter((w) => w.url.includes('slow.mp4'))).toHaveLength(1);
      expect(sha256((await h.object('results/slow.mp4'))!)).toBe(sha256(Buffer.concat(chunks)));
    });

    it('waits for a file that is still being written when the engine starts', async () => {
      h = await createHarness(lab);
      await h.configure({ upload: { settleMs: 800 } });
      const path = await h.write('growing.png', randomBytes(5_000));
      const finalBytes = Buffer.concat([await readFile(path), randomBytes(50_000)]);
      const service = await h.open();
      const started = service.start();
      for (let i = 1; i <= 6; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await writeFile(path, finalBytes.subarray(0, 5_000 + i * 7_500 + (i === 6 ? 5_000 : 0)));
      }
      await started;
      await waitForState(service, path, 'offloaded');
      expect(sha256((await h.object('results/growing.png'))!)).toBe(sha256(finalBytes));
      expect(h.writes().filter((w) => w.url.includes('growing.png'))).toHaveLength(1);
    });

    it('treats write-temp-then-rename as one new file, and never uploads the temp name', async () => {
      h = await createHarness(lab);
      const service = await h.open();
      await service.start();
      const temp = await h.write('gen/output.png.tmp', randomBytes(30_000));
      await rename(temp, join(h.watchDir, 'gen/output.png'));
      await waitForState(service, join(h.watchDir, 'gen/output.png'), 'offloaded');
      await new Promise((r) => setTimeout(r, 600));
      expect(await h.keys()).toEqual(['results/gen/output.png']);
      expect(h.writes().map((w) => w.url).filter((u) => u.includes('.tmp'))).toEqual([]);
    });
  });

  async function waitForState(service: OffloadService, path: string, state: string, ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const row = service.log.latestForPath(path);
      if (row?.state === state) return;
      if (row && ['failed', 'conflict'].includes(row.state) && row.state !== state) throw new Error(`${path} ended ${row.state}: ${row.lastError}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${path} did not reach ${state}; it is ${service.log.latestForPath(path)?.state ?? 'untracked'}`);
  }
});
