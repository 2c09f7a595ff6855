/**
 * Real media files made inside the tests (no binary fixtures): images with sharp, videos with the system
 * ffmpeg (scripts/install-system-packages.sh installs it). Each picture is a known size and colour, so a
 * test can check the thumbnail's bounds and which frame it shows.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

export type Rgb = { r: number; g: number; b: number };
export const RED: Rgb = { r: 220, g: 30, b: 30 };
export const BLUE: Rgb = { r: 30, g: 40, b: 220 };

/** A solid picture, `width` × `height`, in `format`. */
export function solidImage(format: 'png' | 'jpeg' | 'webp' | 'tiff' | 'avif', width: number, height: number, colour: Rgb = RED): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer();
}

/** A two-frame animated GIF: the first frame `first`, the second `second`. */
export function twoFrameGif(width: number, height: number, first: Rgb = RED, second: Rgb = BLUE): Promise<Buffer> {
  const frame = (c: Rgb) => Buffer.alloc(width * height * 3, Buffer.from([c.r, c.g, c.b]));
  return sharp(Buffer.concat([frame(first), frame(second)]), { raw: { width, height: height * 2, channels: 3, pageHeight: height } })
    .gif({ loop: 0, delay: [200, 200] })
    .toBuffer();
}

/**
 * A one-second video of ffmpeg's test pattern, `width` × `height`: MP4 (H.264, its index at the end, as
 * ffmpeg writes by default, so only a seekable input works), WebM (VP9) or MOV.
 */
export async function testVideo(container: 'mp4' | 'webm' | 'mov', width: number, height: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'offload-video-'));
  try {
    const out = join(dir, `clip.${container}`);
    const codec = container === 'webm' ? ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'] : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=10`, '-t', '1', ...codec, out]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Size and format of an encoded picture (a thumbnail), and the colour at its centre. */
export async function describePicture(data: Buffer): Promise<{ format: string | undefined; width: number; height: number; centre: Rgb }> {
  const meta = await sharp(data).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const { data: px } = await sharp(data).extract({ left: Math.floor(width / 2), top: Math.floor(height / 2), width: 1, height: 1 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { format: meta.format, width, height, centre: { r: px[0]!, g: px[1]!, b: px[2]! } };
}

/** True when two colours are within lossy-encoding distance of each other. */
export const near = (a: Rgb, b: Rgb, tolerance = 40): boolean => Math.abs(a.r - b.r) <= tolerance && Math.abs(a.g - b.g) <= tolerance && Math.abs(a.b - b.b) <= tolerance;
