/**
 * Where a file's bytes come from for a thumbnail or a preview: the local copy, opened and checked to be
 * the very file the ledger row describes, or the remote object, read through the provider session
 * (only src/core/storage talks to the bucket). Either way one interface, so the thumbnail code does not
 * care which.
 *
 * The local copy is opened without following links and checked with LocalFile's rules (inside the watch
 * folder, same inode, the size and mtime that were offloaded); the handle then stays valid after the
 * file is removed, which is how a thumbnail is still made from a file deleted right after its offload.
 */
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { verifiedStates, type FileRecord } from '../../shared/ledger';
import type { ProviderSettings } from '../../shared/settings';
import { openProviderSession } from '../providers/provider-session';
import type { SecretStore } from '../secrets/secret-store';
import { LocalFile } from '../storage/local-file';
import { MediaTooLarge } from './media-errors';
import type { VideoInput } from './video-frame';

export interface MediaSource {
  readonly name: string;
  readonly size: number;
  /** The whole content, read into memory; MediaTooLarge over `limit` bytes. */
  bytes(limit: number): Promise<Buffer>;
  /** The content as ffmpeg's input; `release` when ffmpeg is done (removes a fetched copy). */
  videoInput(): Promise<{ input: VideoInput; release(): Promise<void> }>;
  /** The content as a stream that owns the source: the source closes when the stream does. */
  stream(): Promise<Readable>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Remote videos up to this size are fetched to a private temporary file, so ffmpeg can seek in them. */
export const FETCH_VIDEO_LIMIT = 512 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** ffmpeg reads an inherited descriptor through /dev/fd, which Windows lacks (it gets the path). */
const passesDescriptors = process.platform !== 'win32';

/**
 * Opens the local copy of `row` when it is still the file that was offloaded; null when it is gone,
 * changed or replaced. Both opens start at once, so the handle is taken before the engine (which may be
 * about to remove the file) gets further; the checked LocalFile only vouches for it, then closes.
 */
export async function openLocalCopy(row: FileRecord): Promise<FileHandle | null> {
  const [mine, checked] = await Promise.allSettled([open(row.path, OPEN_FLAGS), LocalFile.open(row.path, row.watchRoot, row)]);
  const handle = mine.status === 'fulfilled' ? mine.value : null;
  const file = checked.status === 'fulfilled' ? checked.value : null;
  let vouched = false;
  try {
    if (handle && file) {
      const opened = await handle.stat();
      vouched = opened.isFile() && file.sameInode(opened);
    }
  } catch {
    vouched = false;
  }
  await file?.close();
  // Not the checked file, or no check: never read it.
  if (handle && !vouched) await handle.close().catch(() => undefined);
  return vouched ? handle : null;
}

/**
 * The bytes `open` yields, in one buffer: MediaTooLarge when the row already says the file is over
 * `limit`, or as soon as what arrives passes it (a file that grew since), without reading on.
 */
async function readCapped(row: FileRecord, limit: number, open: () => Readable | Promise<Readable>): Promise<Buffer> {
  if (row.size > limit) throw new MediaTooLarge(row.relPath, row.size, limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await open()) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new MediaTooLarge(row.relPath, total, limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A source over a local handle from openLocalCopy; takes ownership of it. */
export function localSource(row: FileRecord, handle: FileHandle): MediaSource {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  return {
    name: row.relPath,
    size: row.size,
    // One byte past the limit at most (`end` is inclusive): enough to tell a file that grew over it.
    bytes: (limit) => readCapped(row, limit, () => createReadStream('', { fd: handle, autoClose: false, start: 0, end: limit })),
    async videoInput() {
      return { input: passesDescriptors ? { fd: handle.fd } : { path: row.path }, release: async () => undefined };
    },
    async stream() {
      // The stream closes the handle when it ends or is destroyed (the window stopped reading).
      closed = true;
      return createReadStream('', { fd: handle, autoClose: true, start: 0, highWaterMark: 1024 * 1024 });
    },
    close,
  };
}

/**
 * A source over the remote object of a verified row, or null when the row has none (not offloaded, or
 * its provider is no longer configured). Opening the session may throw ProviderUnusable. `signal` (the
 * service closing) stops a download made for a thumbnail; a preview's stream is its reader's to end.
 */
export async function remoteSource(
  row: FileRecord,
  providers: readonly ProviderSettings[],
  secrets: SecretStore,
  tempFile: () => Promise<string>,
  signal?: AbortSignal,
): Promise<MediaSource | null> {
  const provider = providers.find((p) => p.id === row.providerId);
  const key = row.key;
  if (!verifiedStates.has(row.state) || !provider || !key) return null;
  const session = await openProviderSession(provider, secrets, { bucket: row.bucket });
  const close = async (): Promise<void> => session.dispose();
  return {
    name: row.relPath,
    size: row.size,
    bytes: (limit) => readCapped(row, limit, () => session.store.read(key, { start: 0 }, signal)),
    async videoInput() {
      if (row.size > FETCH_VIDEO_LIMIT) return { input: { stream: await session.store.read(key, { start: 0 }, signal) }, release: async () => undefined };
      const temp = await tempFile();
      const release = (): Promise<void> => rm(temp, { force: true });
      try {
        await pipeline(await session.store.read(key, { start: 0 }, signal), createWriteStream(temp, { mode: 0o600, flags: 'wx' }));
      } catch (error) {
        await release();
        throw error;
      }
      return { input: { path: temp }, release };
    },
    async stream() {
      const stream = await session.store.read(key);
      stream.once('close', () => void close());
      return stream;
    },
    close,
  };
}
