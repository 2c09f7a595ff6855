/**
 * Makes one thumbnail from a source: an image is read whole (bounded) and reduced by sharp; a video gives
 * its poster frame through ffmpeg, kept as its preview, and reduced again for the thumbnail. Throws the
 * media errors (DecoderMissing, MediaUnreadable, MediaTooLarge) or whatever reading the source threw;
 * deciding what each means for the file is the facet's job.
 */
import { imageThumbnail, posterImage, type SharpFactory } from './image-codec';
import { mediaKindOf } from './media-kind';
import type { MediaSource } from './media-source';
import { videoFrame, type FfmpegOptions } from './video-frame';

/** Images larger than this are not read into memory for a thumbnail (they show a type icon). */
export const IMAGE_BYTES_LIMIT = 256 * 1024 * 1024;

export interface Codecs {
  sharp: () => Promise<SharpFactory>;
  ffmpeg: FfmpegOptions;
  /** Aborted when the service closes: a running ffmpeg is stopped. */
  signal?: AbortSignal;
}

export interface Made {
  thumb: Buffer;
  /** A video's poster frame, its preview; null for an image. */
  poster: Buffer | null;
}

export async function makeThumbnail(source: MediaSource, codecs: Codecs): Promise<Made> {
  const kind = mediaKindOf(source.name);
  if (kind === 'other') throw new Error(`${source.name}: no thumbnail is made for this kind of file`);
  const sharp = await codecs.sharp();
  if (kind === 'image') return { thumb: await imageThumbnail(sharp, await source.bytes(IMAGE_BYTES_LIMIT), source.name), poster: null };
  const { input, release } = await source.videoInput();
  let frame: Buffer;
  try {
    frame = await videoFrame(input, source.name, codecs.ffmpeg, codecs.signal);
  } finally {
    await release();
  }
  const poster = await posterImage(sharp, frame, source.name);
  return { thumb: await imageThumbnail(sharp, poster, source.name), poster };
}
