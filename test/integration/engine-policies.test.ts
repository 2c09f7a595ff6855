/**
 * What the engine decides, against the S3 lab: conflict policies, local removal only after verification,
 * Local fallback, and restarts that re-upload nothing.
 */
import { randomBytes } from 'node:crypto';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { access, appendFile, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { keptName, removeLocalCopy, REMOVING_SUFFIX } from '../../src/core/offload/local-removal';
import { digestFile } from '../../src/core/storage/file-digest';
import { LocalFile, pathSource } from '../../src/core/storage/local-file';
import { S3ObjectStore } from '../../src/core/storage/s3-object-store';
import { trashWithShell } from '../../src/main/trash-item';
import { createHarness, headObject, sha256, waitFor, type Harness } from '../support/engine-harness';
import { s3ErrorBody } from '../support/fault-proxy';

let lab: LabServer;
let h: Harness;

// Every case ends with RELIABILITY.md's invariants I1–I4 checked on what it left behind.
afterEach(() => expectInvariantsThenCleanup(h));

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  describe('key conflicts', () => {
    it('keep-both (default): uploads next to the existing object with a suffix and leaves it untouched', async () => {
      h = await createHarness(lab);
      await h.putRemote('results/frame.png', 'someone else');
      const local = randomBytes(10_000);
      await h.write('frame.png', local);
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      expect((await h.object('results/frame.png'))!.toString()).toBe('someone else');
      expect(sha256((await h.object('results/frame-1.png'))!)).toBe(sha256(local));
      expect(service.log.latestForPath(join(h.watchDir, 'frame.png'))).toMatchObject({ state: 'offloaded', key: 'results/frame-1.png' });
    });

    it('skip: records a conflict, keeps the local file, and changes nothing remotely', async () => {
      h = await createHarness(lab);
      await h.configure({ upload: { conflictPolicy: 'skip' } });
      await h.putRemote('results/frame.png', 'someone else');
      const path = await h.write('frame.png', 'mine');
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(false);
      expect(service.log.latestForPath(path)).toMatchObject({ state: 'conflict', errorCode: 'conflict' });
      expect((await h.object('results/frame.png'))!.toString()).toBe('someone else');
      expect(await h.keys()).toEqual(['results/frame.png']);
      expect(await exists(path)).toBe(true);
    });

    it('overwrite: replaces the existing object', async () => {
      h = await createHarness(lab);
      await h.configure({ upload: { conflictPolicy: 'overwrite' } });
      await h.putRemote('results/frame.png', 'someone else');
      await h.write('frame.png', 'mine');
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      expect((await h.object('results/frame.png'))!.toString()).toBe('mine');
    });

    it('counts an identical object already at the key as offloaded, without uploading', async () => {
      h = await createHarness(lab);
      await h.putRemote('results/same.png', 'identical bytes');
      const path = await h.write('same.png', 'identical bytes');
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      expect(service.log.latestForPath(path)).toMatchObject({ state: 'offloaded', key: 'results/same.png' });
      expect(h.writes()).toEqual([]);
    });

    it('never overwrites silently when the key appears between the check and the write (If-None-Match)', async () => {
      h = await createHarness(lab);
      const path = await h.write('race.png', 'mine');
      // Let the engine's existence check pass, then have "someone else" write the key before our PUT lands.
      h.proxy.inject({ method: 'HEAD', path: /race\.png/, times: 1, fault: { type: 'respond', status: 404 } });
      await h.putRemote('results/race.png', 'theirs');
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      expect((await h.object('results/race.png'))!.toString()).toBe('theirs');
      expect((await h.object('results/race-1.png'))!.toString()).toBe('mine');
      expect(service.log.latestForPath(path)?.key).toBe('results/race-1.png');
    });
  });

  describe('local removal', () => {
    it('deletes the local copy only after the remote copy is verified', async () => {
      h = await createHarness(lab);
      await h.configure({ retention: { rightAway: true } });
      const data = randomBytes(40_000);
      const path = await h.write('done.png', data);
      const service = await h.open();
      const order: string[] = [];
      service.events.on('fileChanged', (r) => order.push(r.state));
      expect((await service.runOnce()).ok).toBe(true);
      expect(await exists(path)).toBe(false);
      expect(order.slice(-3)).toEqual(['verifying', 'offloaded', 'local-removed']);
      expect(sha256((await h.object('results/done.png'))!)).toBe(sha256(data));
    });

    it('moves the local copy to the OS trash through the desktop glue: its own name in the trash, nothing left beside it', async () => {
      h = await createHarness(lab);
      await h.configure({ retention: { rightAway: true, moveToTrash: true } });
      const path = await h.write('shots/done.png', 'to the trash');
      const trashDir = join(h.root, 'os-trash');
      await mkdir(trashDir);
      // A recorded stand-in for Electron's shell.trashItem (what index.ts passes): the OS moves the item.
      const asked: string[] = [];
      const shell = {
        trashItem: async (item: string): Promise<void> => {
          asked.push(item);
          await rename(item, join(trashDir, basename(item)));
        },
      };
      const service = await h.open(undefined, { trash: trashWithShell(shell) });
      expect((await service.runOnce()).ok).toBe(true);
      expect(asked).toEqual([expect.stringMatching(/\/shots\/\.offload-trash-[^/]+\/done\.png$/)]);
      expect(await readFile(join(trashDir, 'done.png'), 'utf8')).toBe('to the trash');
      expect(await readdir(join(h.watchDir, 'shots'))).toEqual([]);
      expect(service.log.latestForPath(path)).toMatchObject({ state: 'local-removed' });
    });

    it('keeps the local file at its path, and records why, when the trash fails (never deletes it instead)', async () => {
      h = await createHarness(lab);
      await h.configure({ retention: { rightAway: true, moveToTrash: true } });
      const path = await h.write('kept.png', 'the trash is broken');
      const service = await h.open(undefined, { trash: trashWithShell({ trashItem: () => Promise.reject(new Error('Failed to move item to trash')) }) });
      expect((await service.runOnce()).ok).toBe(true);
      expect(await readFile(path, 'utf8')).toBe('the trash is broken');
      expect(await readdir(h.watchDir)).toEqual(['kept.png']);
      expect(service.log.latestForPath(path)).toMatchObject({
        state: 'offloaded',
        errorCode: 'kept-local',
        lastError: 'it could not be moved to the trash (Failed to move item to trash), so the local file was kept',
      });
      expect((await h.object('results/kept.png'))?.toString()).toBe('the trash is broken');
    });

    it('keeps the local file when the upload fails, and says why', async () => {
      h = await createHarness(lab);
      await h.configure({ retention: { rightAway: true }, upload: { maxAttempts: 2 } });
      h.proxy.inject({ method: 'PUT', times: 100, fault: { type: 'respond', status: 500, body: s3ErrorBody('InternalError', 'We encountered an internal error.') } });
      const path = await h.write('precious.png', 'do not lose me');
      const service = await h.open();
      expect((await service.runOnce()).ok).toBe(false);
      expect(await exists(path)).toBe(true);
      expect(service.log.latestForPath(path)).toMatchObject({ state: 'failed', errorCode: 'InternalError', attempts: 2 });
      expect(service.log.latestForPath(path)?.lastError).toMatch(/Temporary failure talking to the bucket/);
      expect(await h.keys()).toEqual([]);
    });

    /** What the engine hands removeLocalCopy: the file opened once, after it settled. */
    const opened = async (path: string) => {
      const { size, mtimeMs } = await stat(path);
      return { file: await LocalFile.open(path, h.watchDir, { size, mtimeMs }), mtimeMs };
    };
    const uploadAs = async (key: string, path: string) => {
      const digest = await digestFile(path, null);
      const store = new S3ObjectStore(h.s3, h.bucket);
      await store.upload({ key, source: pathSource(path), digest, contentType: 'image/png', metadata: { sha256: digest.sha256 }, ifNoneMatch: true, concurrency: 1, signal: new AbortController().signal });
      return { digest, store };
    };

    it('keeps a local file that changed after it was uploaded', async () => {
      h = await createHarness(lab);
      const path = await h.write('edited.png', 'version one');
      const { digest: before, store } = await uploadAs('results/edited.png', path);
      const { file, mtimeMs } = await opened(path);
      await appendFile(path, ' and an edit');
      const outcome = await removeLocalCopy({ file, mtimeMs, digest: before, store, key: 'results/edited.png' });
      await file.close();
      expect(outcome).toEqual({ removed: false, reason: 'the local file changed after it was uploaded, so it was kept' });
      expect(await readFile(path, 'utf8')).toBe('version one and an edit');
    });

    it('keeps a local file whose remote copy is no longer there', async () => {
      h = await createHarness(lab);
      const path = await h.write('gone.png', 'local bytes');
      const digest = await digestFile(path, null);
      const { file, mtimeMs } = await opened(path);
      const outcome = await removeLocalCopy({ file, mtimeMs, digest, store: new S3ObjectStore(h.s3, h.bucket), key: 'results/gone.png' });
      await file.close();
      expect(outcome.removed).toBe(false);
      expect(await readFile(path, 'utf8')).toBe('local bytes');
    });

    // Finding 1 of the hardening review: the put-back used to rename the aside copy over whatever had
    // been saved at the path while the remote check ran.
    it('never overwrites a new file saved at the path during the remote check (verified: only the old copy goes)', async () => {
      h = await createHarness(lab);
      const path = await h.write('render.png', 'uploaded version');
      const { digest, store } = await uploadAs('results/render.png', path);
      const { file, mtimeMs } = await opened(path);
      const slowHead: Pick<S3ObjectStore, 'head'> = { head: async (key) => (await writeFile(path, 'saved during the check'), store.head(key)) };
      const trashed: string[] = [];
      const outcome = await removeLocalCopy({ file, mtimeMs, digest, store: slowHead, key: 'results/render.png', trash: async (aside, restorePath) => {
        trashed.push(`${aside} -> ${restorePath}`, await readFile(aside, 'utf8'));
        await unlink(aside);
      } });
      await file.close();
      expect(outcome).toEqual({ removed: true });
      expect(await readFile(path, 'utf8')).toBe('saved during the check');
      expect(trashed).toEqual([`${path}${REMOVING_SUFFIX} -> ${path}`, 'uploaded version']);
      expect((await h.object('results/render.png'))?.toString()).toBe('uploaded version');
    });

    it('keeps both versions when the remote check fails after a new file was saved at the path', async () => {
      h = await createHarness(lab);
      const path = await h.write('render.png', 'uploaded version');
      const { digest } = await uploadAs('results/render.png', path);
      const { file, mtimeMs } = await opened(path);
      const failingHead: Pick<S3ObjectStore, 'head'> = { head: async () => (await writeFile(path, 'saved during the check'), null) };
      const outcome = await removeLocalCopy({ file, mtimeMs, digest, store: failingHead, key: 'results/render.png' });
      await file.close();
      const kept = keptName(path, 1);
      expect(outcome).toEqual({ removed: false, reason: `the remote copy could not be re-verified, so the local file was kept; a new file had been saved at ${path} meanwhile, so both were kept (the uploaded version is ${kept})` });
      expect(await readFile(path, 'utf8')).toBe('saved during the check');
      expect(await readFile(kept, 'utf8')).toBe('uploaded version');
      expect(await exists(`${path}${REMOVING_SUFFIX}`)).toBe(false);
      expect((await h.object('results/render.png'))?.toString()).toBe('uploaded version');
    });

    it('removes nothing when the path names another file than the one uploaded (replaced by an atomic save)', async () => {
      h = await createHarness(lab);
      const path = await h.write('render.png', 'uploaded version');
      const { digest, store } = await uploadAs('results/render.png', path);
      const { file, mtimeMs } = await opened(path);
      await writeFile(`${path}.tmp`, 'uploaded version');
      await rename(`${path}.tmp`, path); // same bytes, another inode
      const outcome = await removeLocalCopy({ file, mtimeMs, digest, store, key: 'results/render.png' });
      await file.close();
      expect(outcome).toEqual({ removed: false, reason: 'the file at this path is no longer the one that was uploaded, so nothing was removed' });
      expect(await readFile(path, 'utf8')).toBe('uploaded version');
    });
  });

  describe('Local fallback and restarts', () => {
    it('keeps files local when the active provider is disabled, and says why', async () => {
      h = await createHarness(lab);
      await h.configure({ provider: { enabled: false } });
      const path = await h.write('stay.png', 'local only');
      const service = await h.open();
      const notices: string[] = [];
      service.events.on('notice', (n) => notices.push(n.message));
      expect((await service.runOnce()).ok).toBe(false);
      expect(service.log.latestForPath(path)).toMatchObject({ state: 'skipped', providerId: 'local', errorCode: 'provider-unusable' });
      expect(service.log.latestForPath(path)?.lastError).toBe('provider "studio-bucket" is disabled: the file stays local (Local fallback)');
      expect(notices).toEqual(['provider "studio-bucket" is disabled: the file stays local (Local fallback)']);
      expect(await exists(path)).toBe(true);
      expect(await h.keys()).toEqual([]);
    });

    it('still resolves a file to the provider it was stored with after that provider is disabled', async () => {
      h = await createHarness(lab);
      const path = await h.write('kept.png', 'stored bytes');
      let service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      await service.close();
      await h.configure({ provider: { enabled: false }, activeStorage: 'local' });
      service = await h.open();
      const link = await service.log.linkForPath(path, 60);
      expect(await (await fetch(link.url)).text()).toBe('stored bytes');
    });

    it('re-uploads nothing after a clean stop and restart', async () => {
      h = await createHarness(lab);
      for (let i = 0; i < 5; i++) await h.write(`batch/img-${i}.png`, randomBytes(2_000));
      let service = await h.open();
      expect((await service.runOnce()).ok).toBe(true);
      await service.close();
      const writesBefore = h.writes().length;
      const requestsBefore = h.proxy.seen.length;
      service = await h.open();
      const { ok, files } = await service.runOnce();
      expect(ok).toBe(true);
      expect(files).toEqual([]);
      expect(h.writes().length).toBe(writesBefore);
      expect(h.proxy.seen.length).toBe(requestsBefore);
      expect(service.status().counts.byState.offloaded).toBe(5);
      expect(await headObject(h, 'results/batch/img-0.png')).not.toBeNull();
    });
  });

  describe('control', () => {
    it('holds queued files while paused and offloads them on resume', async () => {
      h = await createHarness(lab);
      const service = await h.open();
      await service.start();
      service.queue.pause();
      const path = await h.write('held.png', 'wait for it');
      await waitFor(() => service.log.latestForPath(path)?.state === 'queued', 10_000, 'file queued');
      await new Promise((r) => setTimeout(r, 400));
      expect(service.log.latestForPath(path)?.state).toBe('queued');
      expect(service.status().engine).toMatchObject({ paused: true, queued: 1, active: 0 });
      service.queue.resume();
      await waitFor(() => service.log.latestForPath(path)?.state === 'offloaded', 10_000, 'offloaded after resume');
    });

    it('retries a failed file on request', async () => {
      h = await createHarness(lab);
      await h.configure({ upload: { maxAttempts: 1 } });
      h.proxy.inject({ method: 'PUT', times: 1, fault: { type: 'respond', status: 500, body: s3ErrorBody('InternalError', 'We encountered an internal error.') } });
      const service = await h.open();
      await service.start();
      const path = await h.write('again.png', 'second time lucky');
      await waitFor(() => service.log.latestForPath(path)?.state === 'failed', 10_000, 'failed');
      expect(service.queue.retry(service.log.latestForPath(path)!.id)).toBe(true);
      await waitFor(() => service.log.latestForPath(path)?.state === 'offloaded', 10_000, 'offloaded after retry');
      expect(service.log.timeline(service.log.latestForPath(path)!.id).map((t) => t.state)).toEqual(['queued', 'uploading', 'failed', 'queued', 'uploading', 'verifying', 'offloaded']);
    });
  });
});

describe.each(labServers)('restart recovery on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => lab?.stop());

  it('aborts a multipart upload a previous run left behind, then offloads the file once', async () => {
    h = await createHarness(lab);
    const path = await h.write('orphan.mp4', randomBytes(64_000));
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket: h.bucket, Key: 'results/orphan.mp4' }));
    // What a crash mid-upload leaves: a row in `uploading` with the upload id recorded.
    const { size, mtimeMs } = await stat(path);
    const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
    const row = ledger.insert({ path, watchRoot: h.watchDir, relPath: 'orphan.mp4', size, mtimeMs, state: 'uploading', providerId: 'studio-bucket' });
    ledger.patch(row.id, { uploadId: UploadId!, key: 'results/orphan.mp4' });
    ledger.markRootSeen(h.watchDir);
    ledger.close();

    const service = await h.open();
    expect((await service.runOnce()).ok).toBe(true);
    expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket: h.bucket }))).Uploads ?? []).toEqual([]);
    expect(service.log.latestForPath(path)).toMatchObject({ id: row.id, state: 'offloaded', key: 'results/orphan.mp4' });
    expect(h.proxy.seen.filter((r) => r.method === 'DELETE' && r.url.includes(`uploadId=${UploadId}`))).toHaveLength(1);
  });
});
