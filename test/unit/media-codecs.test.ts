/**
 * The thumbnail codecs on real files: sharp on PNG, JPEG, WebP, AVIF, TIFF and an animated GIF made here,
 * ffmpeg's poster frame of MP4, MOV and WebM (from a descriptor of a deleted file, a path, a stream), and
 * what happens without either decoder.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageThumbnail, loadSharp, posterImage, sharpOnce, type SharpFactory } from '../../src/core/media/image-codec';
import { DecoderMissing, MediaUnreadable } from '../../src/core/media/media-errors';
import { browserImageType, mediaKindOf } from '../../src/core/media/media-kind';
import { isMediaPath, parseMediaPath } from '../../src/core/media/media-route';
import { typeIconSvg } from '../../src/core/media/type-icon';
import { defaultFfmpeg, videoFrame } from '../../src/core/media/video-frame';
import { WorkSlots } from '../../src/core/media/work-slots';
import { BLUE, describePicture, near, RED, solidImage, testVideo, twoFrameGif } from '../support/media-samples';

let dir: string;
let codec: SharpFactory;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offload-media-'));
  codec = await loadSharp();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('image thumbnails', () => {
  it.each(['png', 'jpeg', 'webp', 'avif', 'tiff'] as const)('%s: WebP, long side 320 px, proportions kept', async (format) => {
    const thumb = await imageThumbnail(codec, await solidImage(format, 1600, 900), `shot.${format}`);
    const picture = await describePicture(thumb);
    expect(picture).toMatchObject({ format: 'webp', width: 320, height: 180 });
    expect(near(picture.centre, RED), JSON.stringify(picture.centre)).toBe(true);
  });

  it('never enlarges a small picture', async () => {
    expect(await describePicture(await imageThumbnail(codec, await solidImage('png', 40, 30), 'icon.png'))).toMatchObject({ width: 40, height: 30 });
  });

  it('an animated GIF gives its first frame', async () => {
    const picture = await describePicture(await imageThumbnail(codec, await twoFrameGif(200, 100), 'loop.gif'));
    expect(picture).toMatchObject({ format: 'webp', width: 200, height: 100 });
    expect(near(picture.centre, RED), JSON.stringify(picture.centre)).toBe(true);
    expect(near(picture.centre, BLUE)).toBe(false);
  });

  it('refuses corrupt bytes, a truncated file, and an SVG saved under an image name', async () => {
    const png = await solidImage('png', 300, 300);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    for (const [name, data] of [['noise.png', Buffer.from('not an image at all')], ['cut.png', png.subarray(0, 60)], ['drawing.png', svg]] as const) {
      await expect(imageThumbnail(codec, data, name), name).rejects.toBeInstanceOf(MediaUnreadable);
    }
    await expect(imageThumbnail(codec, svg, 'drawing.png')).rejects.toThrow(/drawing\.png: no picture could be read from it \(its content is svg/);
  });

  it('without sharp: DecoderMissing with the reason and a fix, the load tried once', async () => {
    let loads = 0;
    const load = sharpOnce(async () => {
      loads++;
      throw new Error("Could not load the \"sharp\" module using the linux-x64 runtime\nmore lines");
    });
    const first = await load().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DecoderMissing);
    expect((first as DecoderMissing).message).toBe('Image thumbnails are off: the image library (sharp) could not be loaded (Could not load the "sharp" module using the linux-x64 runtime)');
    expect((first as DecoderMissing).fix).toMatch(/Reinstall/);
    await expect(load()).rejects.toBeInstanceOf(DecoderMissing);
    expect(loads).toBe(1);
  });
});

describe('video poster frames (ffmpeg)', () => {
  it('reads an MP4 (index at the end) through the descriptor of a file already deleted', async () => {
    const file = join(dir, 'clip.mp4');
    await writeFile(file, await testVideo('mp4', 640, 360));
    const handle = await open(file, 'r');
    try {
      await rm(file);
      const frame = await videoFrame({ fd: handle.fd }, 'clip.mp4');
      expect(await describePicture(frame)).toMatchObject({ format: 'png', width: 640, height: 360 });
      const poster = await describePicture(await posterImage(codec, frame, 'clip.mp4'));
      expect(poster).toMatchObject({ format: 'webp', width: 640, height: 360 });
    } finally {
      await handle.close();
    }
  });

  it('scales a large frame to 1920 px and reads MOV by path and WebM from a stream', async () => {
    const mov = join(dir, '-tall.mov'); // a name that looks like an option is still read as a file
    await writeFile(mov, await testVideo('mov', 1080, 2400));
    expect(await describePicture(await videoFrame({ path: mov }, 'tall.mov'))).toMatchObject({ width: 864, height: 1920 });
    const webm = join(dir, 'clip.webm');
    await writeFile(webm, await testVideo('webm', 320, 240));
    expect(await describePicture(await videoFrame({ stream: createReadStream(webm) }, 'clip.webm'))).toMatchObject({ width: 320, height: 240 });
  });

  it('a file that is no video: MediaUnreadable naming ffmpeg\'s reason', async () => {
    const fake = join(dir, 'fake.mp4');
    await writeFile(fake, 'this is text, not a video');
    const error = await videoFrame({ path: fake }, 'fake.mp4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaUnreadable);
    expect((error as Error).message).toMatch(/^fake\.mp4: no picture could be read from it \(.+\)$/);
  });

  it('no ffmpeg on PATH: DecoderMissing saying so, never a crash', async () => {
    const empty = await mkdtemp(join(dir, 'empty-path-'));
    const error = await videoFrame({ path: join(dir, 'any.mp4') }, 'any.mp4', { ...defaultFfmpeg, env: { PATH: empty } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecoderMissing);
    expect((error as DecoderMissing).message).toBe('Video thumbnails are off: ffmpeg was not found (ffmpeg on PATH)');
    expect((error as DecoderMissing).fix).toMatch(/apt install ffmpeg/);
  });

  it('a stop aborts a running ffmpeg', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(videoFrame({ path: join(dir, 'any.mp4') }, 'any.mp4', defaultFfmpeg, stop.signal)).rejects.toMatchObject({ code: 'media-stopped' });
  });
});

describe('kinds, icons, routes, slots', () => {
  it('sorts files by extension; SVG and unknown files are "other"', () => {
    expect(['a.PNG', 'b.jpeg', 'c.tif', 'd.avif', 'e.gif', 'f.MP4', 'g.mov', 'h.webm', 'i.svg', 'j.txt', 'noext', '.png'].map(mediaKindOf)).toEqual([
      'image', 'image', 'image', 'image', 'image', 'video', 'video', 'video', 'other', 'other', 'other', 'other',
    ]);
    expect([browserImageType('x.jpg'), browserImageType('x.tiff'), browserImageType('x.svg')]).toEqual(['image/jpeg', null, null]);
  });

  it('draws a type icon whose label no file name can put markup into', async () => {
    const svg = typeIconSvg('report.p<d>f').toString();
    expect(svg).toContain('>PDF</text>');
    expect(svg).not.toMatch(/<d>|<script/);
    expect(typeIconSvg('README').toString()).toContain('>FILE</text>');
    expect((await sharp(typeIconSvg('notes.txt')).metadata()).format).toBe('svg'); // a valid SVG
  });

  it('parses exactly the two media routes', () => {
    expect(parseMediaPath('/media/thumb/12')).toEqual({ what: 'thumb', id: 12 });
    expect(parseMediaPath('/media/preview/7')).toEqual({ what: 'preview', id: 7 });
    for (const path of ['/media/thumb/0', '/media/thumb/-1', '/media/thumb/1x', '/media/thumb/12/', '/media/other/1', '/media/thumb/99999999999999999', '/media/thumb/%31']) expect(parseMediaPath(path), path).toBeNull();
    expect([isMediaPath('/media/anything'), isMediaPath('/media'), isMediaPath('/mediafile.js'), isMediaPath('/assets/x.js')]).toEqual([true, true, false, false]);
  });

  it('runs at most N tasks at once, the rest in order', async () => {
    const slots = new WorkSlots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const tasks = gates.map((gate, i) =>
      slots.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await gate.promise;
        running--;
      }),
    );
    for (const gate of gates) {
      await new Promise((r) => setImmediate(r));
      gate.resolve();
    }
    await Promise.all(tasks);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});
