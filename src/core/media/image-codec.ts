/**
 * Image decoding and encoding through sharp (libvips): the bounded thumbnail, the video poster, and the
 * WebP preview of formats Chromium cannot show (TIFF). sharp is loaded on first use, not at start: a
 * platform where its prebuilt binary is missing still runs, with type icons and one line saying why.
 *
 * Only the formats media-kind.ts lists are decoded: the header is read first and anything else (an SVG or
 * a PDF saved under a .png name) is refused before libvips renders it.
 */
import type { Sharp, SharpOptions } from 'sharp';
import { DecoderMissing, MediaUnreadable } from './media-errors';

/** sharp's entry point, typed for the two calls made here. */
export type SharpFactory = (input: Buffer, options?: SharpOptions) => Sharp;

/** Loads sharp; rejects when it cannot (missing package, no prebuilt binary for the platform). */
export type SharpLoader = () => Promise<SharpFactory>;

/** Long side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;
/** Long side of a video's poster and of a converted preview. */
export const POSTER_SIZE = 1920;
export const PREVIEW_SIZE = 4096;

/** libvips' names of the formats decoded here (AVIF is read by its heif loader). */
const decodedFormats: ReadonlySet<string> = new Set(['png', 'jpeg', 'webp', 'heif', 'gif', 'tiff']);

/** The real loader: sharp from node_modules, held to one libvips thread and no operation cache. */
export const loadSharp: SharpLoader = async () => {
  const sharp = (await import('sharp')).default;
  // One thread per image and no cache: thumbnails run beside uploads and must stay small and cheap.
  sharp.concurrency(1);
  sharp.cache(false);
  return sharp;
};

/** Memoises a loader; a failed load is remembered as a DecoderMissing, so it is tried once per service. */
export function sharpOnce(load: SharpLoader): () => Promise<SharpFactory> {
  let loaded: Promise<SharpFactory> | null = null;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      throw new DecoderMissing(
        `Image thumbnails are off: the image library (sharp) could not be loaded (${firstLine(error)})`,
        'Reinstall Offload Companion (for the command: npm install sharp); files show type icons meanwhile.',
        { cause: error },
      );
    }));
}

/** First frame or page only, and libvips' own pixel limit: a decompression bomb is refused, not decoded. */
const inputOptions: SharpOptions = { animated: false, failOn: 'error' };

async function decodable(sharp: SharpFactory, input: Buffer, name: string): Promise<Sharp> {
  let format: string | undefined;
  try {
    format = (await sharp(input, inputOptions).metadata()).format;
  } catch (error) {
    throw new MediaUnreadable(name, firstLine(error), { cause: error });
  }
  if (!format || !decodedFormats.has(format)) throw new MediaUnreadable(name, `its content is ${format ?? 'not an image'}, not a picture format thumbnails are made from`);
  return sharp(input, inputOptions).autoOrient();
}

/** Encodes `input` (already read whole) as WebP with its long side at most `size`. */
async function bounded(sharp: SharpFactory, input: Buffer, name: string, size: number, quality: number): Promise<Buffer> {
  const image = await decodable(sharp, input, name);
  try {
    return await image.resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality }).toBuffer();
  } catch (error) {
    throw new MediaUnreadable(name, firstLine(error), { cause: error });
  }
}

/** The thumbnail of an image file's bytes: WebP, long side ≤ 320 px. Throws MediaUnreadable. */
export function imageThumbnail(sharp: SharpFactory, input: Buffer, name: string): Promise<Buffer> {
  return bounded(sharp, input, name, THUMBNAIL_SIZE, 75);
}

/** A video frame (PNG from ffmpeg) as the poster shown for its preview: WebP, long side ≤ 1920 px. */
export function posterImage(sharp: SharpFactory, frame: Buffer, name: string): Promise<Buffer> {
  return bounded(sharp, frame, name, POSTER_SIZE, 85);
}

/** An image Chromium cannot show (TIFF) as a WebP preview, long side ≤ 4096 px. */
export function convertedPreview(sharp: SharpFactory, input: Buffer, name: string): Promise<Buffer> {
  return bounded(sharp, input, name, PREVIEW_SIZE, 90);
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim().slice(0, 300);
}
