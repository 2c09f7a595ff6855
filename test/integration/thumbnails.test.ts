/**
 * Thumbnails and previews (src/core/media) against the S3 lab, on real pictures and videos made in the
 * test: made in the background as files are offloaded, from the local copy — even one removed right
 * after its offload — and from the bucket for a file only there; a corrupt image gets an icon and a
 * timeline note, never a failed offload; without ffmpeg, videos get an icon and one notice.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaOptions, MediaResponse } from '../../src/core/media/media-facet';
import { OffloadService } from '../../src/core/service';
import type { EngineEvents } from '../../src/shared/events';
import type { FileRecord } from '../../src/shared/ledger';
import { createHarness, secretsFor, sha256, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { startLab, type LabServer } from '../support/lab-servers';
import { describePicture, near, RED, solidImage, testVideo, twoFrameGif } from '../support/media-samples';

let lab: LabServer;
let h: Harness;
const opened: OffloadService[] = [];

beforeAll(async () => {
  lab = await startLab('s3rver');
});
afterAll(() => lab?.stop());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await expectInvariantsThenCleanup(h);
});

/** A service on the harness's settings, with these media options, closed after the test. */
async function openService(media: Partial<MediaOptions> = {}): Promise<OffloadService> {
  const service = await OffloadService.open({ settingsFile: h.settingsFile, secrets: secretsFor(lab.users.main), media });
  opened.push(service);
  return service;
}

const thumbnailDir = (): string => join(h.root, 'config', 'thumbnails');
const rowFor = (service: OffloadService, rel: string): FileRecord => service.log.latestForPath(join(h.watchDir, rel))!;
/** Objects the engine read back from the bucket (GET of a key under the prefix). */
const objectReads = (): string[] => h.proxy.seen.filter((r) => r.method === 'GET' && /\/results\//.test(r.url)).map((r) => r.url);

async function bytesOf(response: MediaResponse): Promise<Buffer> {
  if (Buffer.isBuffer(response.body)) return response.body;
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Waits (bounded) until the background has a thumbnail for each of `contents` in the cache. */
async function thumbnailsMade(contents: Buffer[]): Promise<void> {
  await waitFor(() => contents.every((c) => existsSync(join(thumbnailDir(), `${sha256(c)}.webp`))), 30_000, 'background thumbnails in the cache');
}

describe('thumbnails', () => {
  it('are made in the background from the local files as they are offloaded: every image format, a GIF\'s first frame, video posters, icons for the rest', async () => {
    h = await createHarness(lab);
    const files = {
      'shot.png': await solidImage('png', 1600, 900),
      'portrait.jpg': await solidImage('jpeg', 900, 1600),
      'art.webp': await solidImage('webp', 640, 640),
      'pic.avif': await solidImage('avif', 500, 250),
      'scan.tiff': await solidImage('tiff', 1000, 500),
      'loop.gif': await twoFrameGif(400, 200),
      'clips/clip.mp4': await testVideo('mp4', 640, 360),
      'clips/clip.mov': await testVideo('mov', 360, 640),
      'clips/clip.webm': await testVideo('webm', 320, 240),
      'notes.txt': Buffer.from('prompt: a castle at dusk'),
    };
    for (const [rel, data] of Object.entries(files)) await h.write(rel, data);
    const service = await openService();
    expect((await service.runOnce()).ok).toBe(true);
    const pictures = Object.entries(files).filter(([rel]) => !rel.endsWith('.txt'));
    await thumbnailsMade(pictures.map(([, data]) => data));

    const expected: Record<string, [number, number]> = {
      'shot.png': [320, 180], 'portrait.jpg': [180, 320], 'art.webp': [320, 320], 'pic.avif': [320, 160], 'scan.tiff': [320, 160], 'loop.gif': [320, 160],
      'clips/clip.mp4': [320, 180], 'clips/clip.mov': [180, 320], 'clips/clip.webm': [320, 240],
    };
    for (const [rel, [width, height]] of Object.entries(expected)) {
      const thumb = await service.media.thumbnail(rowFor(service, rel).id);
      expect([thumb.status, thumb.contentType, thumb.cacheControl], rel).toEqual([200, 'image/webp', 'private, max-age=86400']);
      const picture = await describePicture(await bytesOf(thumb));
      expect([picture.width, picture.height], rel).toEqual([width, height]);
      if (!rel.startsWith('clips/')) expect(near(picture.centre, RED), `${rel}: ${JSON.stringify(picture.centre)}`).toBe(true); // the GIF's first frame is red
    }
    const icon = await service.media.thumbnail(rowFor(service, 'notes.txt').id);
    expect([icon.status, icon.contentType]).toEqual([200, 'image/svg+xml']);
    expect((await bytesOf(icon)).toString()).toContain('>TXT</text>');
    expect((await service.media.thumbnail(999_999)).status).toBe(404);

    // Previews: an image's own bytes from the local copy, a TIFF as WebP, a video's poster frame.
    const png = await service.media.preview(rowFor(service, 'shot.png').id);
    expect([png.status, png.contentType]).toEqual([200, 'image/png']);
    expect(sha256(await bytesOf(png))).toBe(sha256(files['shot.png']));
    const tiff = await service.media.preview(rowFor(service, 'scan.tiff').id);
    expect(await describePicture(await bytesOf(tiff))).toMatchObject({ format: 'webp', width: 1000, height: 500 });
    const poster = await service.media.preview(rowFor(service, 'clips/clip.mp4').id);
    expect(await describePicture(await bytesOf(poster))).toMatchObject({ format: 'webp', width: 640, height: 360 });
    expect((await service.media.preview(999_999)).status).toBe(404);

    // Made from the local files: nothing was read back from the bucket.
    expect(objectReads()).toEqual([]);
    // Private like the data folder: the folder 0700, each file 0600.
    expect((await stat(thumbnailDir())).mode & 0o777).toBe(0o700);
    expect((await stat(join(thumbnailDir(), `${sha256(files['shot.png'])}.webp`))).mode & 0o777).toBe(0o600);
  });

  it('a file removed locally right after its offload still gets its thumbnail from the local copy; its preview comes from the bucket', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const png = await solidImage('png', 1200, 800);
    const mp4 = await testVideo('mp4', 640, 360);
    const pngPath = await h.write('shot.png', png);
    const mp4Path = await h.write('clip.mp4', mp4);
    const service = await openService();
    expect((await service.runOnce()).ok).toBe(true);
    expect([rowFor(service, 'shot.png').state, rowFor(service, 'clip.mp4').state]).toEqual(['local-removed', 'local-removed']);
    expect([existsSync(pngPath), existsSync(mp4Path)]).toEqual([false, false]);
    await thumbnailsMade([png, mp4]);
    expect(objectReads()).toEqual([]); // read through the handle opened before the removal

    expect(await describePicture(await bytesOf(await service.media.thumbnail(rowFor(service, 'shot.png').id)))).toMatchObject({ width: 320, height: 213 });
    expect(await describePicture(await bytesOf(await service.media.preview(rowFor(service, 'clip.mp4').id)))).toMatchObject({ width: 640, height: 360 });
    const preview = await service.media.preview(rowFor(service, 'shot.png').id);
    expect([preview.status, preview.contentType]).toEqual([200, 'image/png']);
    expect(sha256(await bytesOf(preview))).toBe(sha256(png));
    expect(objectReads()).toEqual([expect.stringContaining('/results/shot.png')]);
  });

  it('a file only in the bucket gets its thumbnail from the object when first asked for', async () => {
    h = await createHarness(lab);
    await h.configure({ retention: { rightAway: true } });
    const png = await solidImage('png', 800, 800);
    const mp4 = await testVideo('mp4', 480, 270);
    await h.write('shot.png', png);
    await h.write('clip.mp4', mp4);
    const off = await openService({ thumbnails: false });
    expect((await off.runOnce()).ok).toBe(true);
    // Off: no thumbnail is made, the window gets icons, previews of pictures still work.
    expect((await off.media.thumbnail(rowFor(off, 'shot.png').id)).contentType).toBe('image/svg+xml');
    expect(existsSync(thumbnailDir())).toBe(false);
    await off.close();

    const on = await openService();
    const thumb = await on.media.thumbnail(rowFor(on, 'shot.png').id);
    expect(await describePicture(await bytesOf(thumb))).toMatchObject({ format: 'webp', width: 320, height: 320 });
    const poster = await on.media.preview(rowFor(on, 'clip.mp4').id);
    expect(await describePicture(await bytesOf(poster))).toMatchObject({ format: 'webp', width: 480, height: 270 });
    expect(objectReads().sort()).toEqual([expect.stringContaining('/results/clip.mp4'), expect.stringContaining('/results/shot.png')]);
    // Cached by content: asked again, nothing more is fetched; no temporary copy is left behind.
    await on.media.thumbnail(rowFor(on, 'clip.mp4').id);
    await on.media.thumbnail(rowFor(on, 'shot.png').id);
    expect(objectReads()).toHaveLength(2);
    expect((await import('node:fs/promises').then((fs) => fs.readdir(thumbnailDir()))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a corrupt image is offloaded as it is, shows a type icon, and says why once in its timeline', async () => {
    h = await createHarness(lab);
    const good = await solidImage('png', 300, 300);
    const broken = Buffer.concat([good.subarray(0, 80), Buffer.from('garbage where the pixels were')]);
    await h.write('broken.png', broken);
    await h.write('good.png', good);
    const service = await openService();
    expect((await service.runOnce()).ok).toBe(true);
    await waitFor(() => existsSync(join(thumbnailDir(), `${sha256(broken)}.icon`)) && existsSync(join(thumbnailDir(), `${sha256(good)}.webp`)), 30_000, 'both settled');
    const row = rowFor(service, 'broken.png');
    expect(row.state).toBe('offloaded');
    const thumb = await service.media.thumbnail(row.id);
    expect([thumb.contentType, thumb.cacheControl]).toEqual(['image/svg+xml', 'private, max-age=86400']);
    await service.media.thumbnail(row.id);
    const notes = service.log.timeline(row.id).filter((t) => t.detail?.startsWith('thumbnail:'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ state: 'offloaded', detail: expect.stringMatching(/^thumbnail: broken\.png: no picture could be read from it \(.+\); a type icon is shown instead$/) });
    expect(service.log.timeline(rowFor(service, 'good.png').id).some((t) => t.detail?.startsWith('thumbnail:'))).toBe(false);
  });

  it('without ffmpeg, videos get a type icon and one notice says why; images and the offload are unaffected', async () => {
    h = await createHarness(lab);
    const png = await solidImage('png', 400, 200);
    await h.write('shot.png', png);
    await h.write('a.mp4', await testVideo('mp4', 320, 180));
    await h.write('b.webm', await testVideo('webm', 320, 180));
    const noFfmpeg = await mkdtemp(join(h.root, 'path-without-ffmpeg-'));
    const service = await openService({ ffmpeg: { env: { PATH: noFfmpeg } } });
    const notices: EngineEvents['notice'][] = [];
    service.events.on('notice', (n) => notices.push(n));
    expect((await service.runOnce()).ok).toBe(true);
    await thumbnailsMade([png]);
    for (const rel of ['a.mp4', 'b.webm']) {
      const thumb = await service.media.thumbnail(rowFor(service, rel).id);
      // Not settled: installing ffmpeg brings the picture.
      expect([thumb.contentType, thumb.cacheControl], rel).toEqual(['image/svg+xml', 'no-store']);
      expect(rowFor(service, rel).state).toBe('offloaded');
      expect(service.log.timeline(rowFor(service, rel).id).some((t) => t.detail?.startsWith('thumbnail:'))).toBe(false);
    }
    expect(notices.filter((n) => n.code === 'decoder-missing')).toEqual([
      { level: 'info', code: 'decoder-missing', message: 'Video thumbnails are off: ffmpeg was not found (ffmpeg on PATH)', fix: expect.stringContaining('Install ffmpeg') },
    ]);
    expect((await service.media.thumbnail(rowFor(service, 'shot.png').id)).contentType).toBe('image/webp');
  });

  it('without sharp, every picture gets a type icon, the offload goes on, and one notice says why', async () => {
    h = await createHarness(lab);
    await h.write('shot.png', await solidImage('png', 400, 200));
    await h.write('clip.mp4', await testVideo('mp4', 320, 180));
    const service = await openService({
      loadSharp: () => Promise.reject(new Error("Could not load the \"sharp\" module using the linux-x64 runtime")),
    });
    const notices: EngineEvents['notice'][] = [];
    service.events.on('notice', (n) => notices.push(n));
    expect((await service.runOnce()).ok).toBe(true);
    for (const rel of ['shot.png', 'clip.mp4']) expect((await service.media.thumbnail(rowFor(service, rel).id)).contentType, rel).toBe('image/svg+xml');
    expect(notices.filter((n) => n.code === 'decoder-missing').map((n) => n.message)).toEqual([
      'Image thumbnails are off: the image library (sharp) could not be loaded (Could not load the "sharp" module using the linux-x64 runtime)',
    ]);
    // Browser images are previewed from their own bytes, with no decoder at all.
    const preview = await service.media.preview(rowFor(service, 'shot.png').id);
    expect(preview.contentType).toBe('image/png');
    await bytesOf(preview); // read to its end, which closes the local file
  });
});
