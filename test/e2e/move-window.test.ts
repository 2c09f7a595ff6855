/**
 * Moving a storage's files to another (issue #14 "Move"), in the window (Chromium over the real command
 * table): provider A on s3rver, provider B on Ceph RGW. A holds three files — two whose local copies are
 * still here and one of 20 MiB whose local copy was removed, so its bytes stream from A's bucket into a
 * multipart upload on B. From A's page, "Move its files to…" → B, deleting A's copies → every row points
 * at B, B holds the same bytes, A's bucket is empty, and the screen says so with the space before and
 * after. Then a throttled move is cancelled from the screen: the file stays at A, intact, and B keeps
 * no object and no multipart upload of it.
 */
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from '../support/axe';
import { sha256 } from '../support/engine-harness';
import { uniqueBucket, type LabServer, startLab } from '../support/lab-servers';
import { dismissToasts, goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

const FROM = 'move-from';
const TO = 'move-to';
const FROM_LABEL = 'Studio on s3rver';
const TO_LABEL = 'Archive on Ceph';
const MiB = 1024 * 1024;

let session: WindowSession;
let s3rver: LabServer;
let fromBucket: string;
let fromS3: S3Client;
let toS3: S3Client;

async function keysIn(client: S3Client, bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

async function objectSha(client: S3Client, bucket: string, key: string): Promise<string> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return sha256(Buffer.from(await res.Body!.transformToByteArray()));
}

async function multipartUploads(client: S3Client, bucket: string): Promise<string[]> {
  return ((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}

const rowOf = (relPath: string) => session.service.log.list().find((r) => r.relPath === relPath);

/** Serious or critical axe-core findings on the screen as it is, described (empty when none). */
async function accessibilityProblems(): Promise<string> {
  const found = await axeViolations(session.page, { minImpact: 'serious' });
  return found.length ? describeViolations(found) : '';
}

describe('moving a storage’s files to another, in the window', () => {
  beforeAll(async () => {
    // bypassCSP lets axe-core be injected to check the running and finished screens (test-only).
    session = await openWindowSession('move', { viewport: { width: 1100, height: 800 }, bypassCSP: true });
    s3rver = await startLab('s3rver');
    fromBucket = uniqueBucket('move');
    await s3rver.createBucket(fromBucket);
    fromS3 = s3rver.client();
    toS3 = session.lab.client();
    const { service, lab, bucket } = session;
    const minio = (l: LabServer) => ({ type: 'minio', endpoint: l.endpoint, region: l.region, accessKeyId: l.users.main.accessKeyId });
    await service.providers.save({ id: FROM, label: FROM_LABEL, bucket: fromBucket, ...minio(s3rver) }, s3rver.users.main.secretAccessKey);
    await service.providers.save({ id: TO, label: TO_LABEL, bucket, ...minio(lab) }, lab.users.main.secretAccessKey);
  });
  afterAll(async () => {
    for (const id of [FROM, TO]) await session?.service.providers.deleteSecret(id).catch(() => false);
    await session?.close();
    await s3rver?.stop();
  });

  it('moves every file from A to B, deleting A’s copies: the log points at B, B has the bytes, A is empty', async () => {
    const { service, watchDir, page, bucket } = session;
    await service.storage.setActive(FROM);
    await service.watch.add({ path: watchDir, offloadExisting: true });
    // Two files whose local copies stay (the move reads them here)…
    const files: Record<string, Buffer> = { 'shots/frame-0001.png': randomBytes(200_000), 'frame-0002.exr': randomBytes(3_000_000) };
    await mkdir(join(watchDir, 'shots'));
    await writeFile(join(watchDir, 'shots/frame-0001.png'), files['shots/frame-0001.png']!);
    await writeFile(join(watchDir, 'frame-0002.exr'), files['frame-0002.exr']!);
    await expect.poll(() => [rowOf('shots/frame-0001.png')?.state, rowOf('frame-0002.exr')?.state], { timeout: 30_000 }).toEqual(['offloaded', 'offloaded']);
    // …and one whose local copy A removed: the move streams it from A's bucket, over the multipart threshold.
    // (the retention policy, issue #19: right away, for files offloaded from now on)
    await service.settings.saveRetention({ rightAway: true, afterDays: null, lowSpace: null, moveToTrash: false });
    files['take-0003.mov'] = randomBytes(20 * MiB);
    await writeFile(join(watchDir, 'take-0003.mov'), files['take-0003.mov']);
    await expect.poll(() => rowOf('take-0003.mov')?.state, { timeout: 60_000 }).toBe('local-removed');
    const totalBytes = Object.values(files).reduce((n, b) => n + b.length, 0);
    const atA = service.log.list().map((r) => ({ bucket: r.bucket, key: r.key, providerId: r.providerId }));
    expect(atA).toHaveLength(3);
    expect(atA.every((r) => r.providerId === FROM && r.bucket === fromBucket)).toBe(true);
    expect(await keysIn(fromS3, fromBucket)).toHaveLength(3);

    await goTo(page, `#/providers/${FROM}`);
    await dismissToasts(page);
    await page.getByRole('link', { name: 'Move its files to…' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/move/${FROM}`);
    expect(await page.getByTestId('move-source').textContent()).toBe(FROM_LABEL);
    const target = page.getByLabel('Move to');
    // Only providers that can take files: never A itself, never "this machine".
    expect(await target.locator('option').allTextContents()).toEqual([TO_LABEL]);
    await target.selectOption(TO);
    await expect.poll(() => page.getByTestId('move-plan').textContent()).toBe(`3 files, 24.2 MB, from ${FROM_LABEL} to ${TO_LABEL}.`);
    const space = page.getByTestId('move-space');
    await expect.poll(() => space.getByRole('row', { name: /^Studio on s3rver/ }).textContent()).toContain('3 files, 24.2 MB');
    await page.getByLabel(`Delete the copies at ${FROM_LABEL} once each file is verified at the target`).check();
    await dismissToasts(page);
    await page.screenshot({ path: screenshotFile('move-form') });
    await page.getByRole('button', { name: 'Start move' }).click();

    const summary = page.getByTestId('move-summary');
    await summary.waitFor({ timeout: 90_000 });
    expect(await summary.textContent()).toContain(`Moved 3 files to ${TO_LABEL}.`);
    const bar = page.getByRole('progressbar', { name: 'Move progress' });
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(totalBytes));
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(totalBytes));
    expect(await page.getByTestId('move-files').textContent()).toBe('3 / 3');
    expect(await page.getByRole('list', { name: 'Files not moved' }).count()).toBe(0);
    // The space of both ends, before and after.
    await expect.poll(() => space.getByRole('row', { name: /^Studio on s3rver/ }).textContent()).toBe('Studio on s3rver (from)3 files, 24.2 MB0 files, 0 B');
    await expect.poll(() => space.getByRole('row', { name: /^Archive on Ceph/ }).textContent()).toBe('Archive on Ceph (to)0 files, 0 B3 files, 24.2 MB');
    await dismissToasts(page);
    await page.screenshot({ path: screenshotFile('move-done') });
    expect(await accessibilityProblems()).toBe('');

    // The log points at B, and B holds the same bytes (the big one as a multipart object).
    const rows = service.log.list();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ providerId: TO, bucket });
      expect(await objectSha(toS3, bucket, row.key!)).toBe(sha256(files[row.relPath]!));
    }
    const big = await toS3.send(new HeadObjectCommand({ Bucket: bucket, Key: rowOf('take-0003.mov')!.key! }));
    expect(big.ContentLength).toBe(20 * MiB);
    expect(big.ETag).toMatch(/-\d+"$/);
    expect(await multipartUploads(toS3, bucket)).toEqual([]);
    // A's copies are gone.
    expect(await keysIn(fromS3, fromBucket)).toEqual([]);
    expect(session.problems).toEqual([]);
  });

  it('cancels a throttled move from the screen: the file stays at A, intact; B keeps nothing of it', async () => {
    const { service, watchDir, page, bucket } = session;
    const bytes = randomBytes(20 * MiB);
    await writeFile(join(watchDir, 'take-0004.mov'), bytes);
    await expect.poll(() => rowOf('take-0004.mov')?.state, { timeout: 60_000 }).toBe('local-removed');
    const before = rowOf('take-0004.mov')!;
    expect(before).toMatchObject({ providerId: FROM, bucket: fromBucket });
    // 1 MiB/s: the 20 MiB move would take some 20 s. The shared throttle reads the limit again at most
    // every second (offload/throttle.ts), so the move starts once it has.
    await service.settings.saveUpload({ bandwidthLimitBytesPerSec: MiB });
    const limitSet = Date.now();

    // The other way in: removing A asks what becomes of its files, and "Move them first…" opens the move.
    await goTo(page, `#/providers/${FROM}`);
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Remove provider…' }).click();
    await page.getByRole('group', { name: 'What becomes of its files' }).getByRole('button', { name: 'Move them first…' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/move/${FROM}`);
    await expect.poll(() => page.getByTestId('move-plan').textContent()).toBe(`1 file, 21.0 MB, from ${FROM_LABEL} to ${TO_LABEL}.`);
    await page.getByLabel(`Delete the copies at ${FROM_LABEL} once each file is verified at the target`).check();
    await new Promise((r) => setTimeout(r, Math.max(0, limitSet + 1_100 - Date.now())));
    await page.getByRole('button', { name: 'Start move' }).click();

    // Once bytes are flowing (a multipart upload begun on B), cancel.
    const bar = page.getByRole('progressbar', { name: 'Move progress' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(0);
    const sent = Number(await bar.getAttribute('aria-valuenow'));
    expect(sent).toBeLessThan(bytes.length);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('move-phase').textContent()).toMatch(/^Paused/);
    expect(service.move.status()?.phase).toBe('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('move-phase').textContent()).toBe('Moving…');
    // Pause and resume answer with the phase; the bar does not step back.
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(sent);
    await page.screenshot({ path: screenshotFile('move-running') });
    expect(await accessibilityProblems()).toBe('');
    await page.getByRole('button', { name: 'Cancel move' }).click();
    const summary = page.getByTestId('move-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toContain(`Move cancelled: 0 files moved to ${TO_LABEL}; the rest stay at ${FROM_LABEL}.`);
    expect(service.move.status()?.phase).toBe('cancelled');

    // Still at A, intact; nothing of it on B, no multipart upload left there.
    expect(rowOf('take-0004.mov')).toMatchObject({ id: before.id, providerId: FROM, bucket: fromBucket, key: before.key, state: 'local-removed' });
    expect(await objectSha(fromS3, fromBucket, before.key!)).toBe(sha256(bytes));
    expect(await keysIn(toS3, bucket)).not.toContain(before.key);
    await expect.poll(() => multipartUploads(toS3, bucket), { timeout: 10_000 }).toEqual([]);
    expect(session.problems).toEqual([]);
  });
});
