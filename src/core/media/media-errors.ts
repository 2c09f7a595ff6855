/**
 * Why a file gets a type icon instead of a picture. Each is a CoreError with a code and a fix, so the one
 * line the service says about it (a notice, a timeline note) names the cause and what to do.
 */
import { CoreError } from '../errors';

/** The decoder itself is not there (sharp did not load, no ffmpeg on PATH): every file of the kind gets an icon. */
export class DecoderMissing extends CoreError {
  constructor(message: string, fix: string, options?: { cause?: unknown }) {
    super('decoder-missing', message, fix, options);
  }
}

/** This file's content could not be decoded (corrupt, truncated, not what its extension says). */
export class MediaUnreadable extends CoreError {
  constructor(name: string, detail: string, options?: { cause?: unknown }) {
    super('media-unreadable', `${name}: no picture could be read from it (${detail})`, 'Nothing to do: the file is offloaded as it is; open it to check it.', options);
  }
}

/** Over the size a thumbnail is made for (the whole file would be read into memory or fetched). */
export class MediaTooLarge extends CoreError {
  constructor(name: string, size: number, limit: number) {
    super('media-too-large', `${name}: ${mib(size)} is over the ${mib(limit)} a thumbnail is made from`, 'Nothing to do: the file is offloaded as it is; it shows a type icon.');
  }
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MiB`;
