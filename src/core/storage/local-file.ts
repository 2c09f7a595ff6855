/**
 * One local file, opened once for everything the engine does with it: the digest, the upload and the
 * checks before a local removal all use this handle, never the path again (docs/SECURITY.md "Hostile
 * local files"). Between settling and uploading, whoever can write into the watch folder (another user,
 * a sync client, an archive being extracted) can swap a folder for a symbolic link or drop a FIFO in;
 * opening by path at every step would then read, upload or unlink something outside the watch folder,
 * or block forever in `open()`.
 *
 * Opening: without following a link in the last component (O_NOFOLLOW), without blocking (O_NONBLOCK:
 * a FIFO opens at once instead of waiting for a writer); then the handle must be a regular file, its
 * real path must be the watch root's real path plus the file's relative path (no link in any folder of
 * it), that path must name the very inode we opened, and its size and mtime must be what settled.
 */
import type { EventEmitter } from 'node:events';
import { constants, createReadStream, type Stats } from 'node:fs';
import { lstat, open, realpath, type FileHandle } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { CoreError } from '../errors';

/** Bytes of a file, by range: what the digest and the upload read. */
export interface ByteSource {
  /** Bytes [start, end) (to the end of the file when `end` is absent). */
  stream(start?: number, end?: number, signal?: AbortSignal): Readable;
  /**
   * Reads up to `length` bytes at `position` into `target` (from its start); resolves with the count, less
   * only at the end of the file. Where a source has it, a part is read into a reused buffer instead of
   * a stream of fresh ones (s3-object-store.ts).
   */
  readAt?(target: Buffer, length: number, position: number): Promise<number>;
}

/** Reads a file by path at each call: for tests and tools that own the file, never for watched files. */
export function pathSource(path: string): ByteSource {
  return {
    stream: (start = 0, end, signal) =>
      end !== undefined && end <= start ? Readable.from([]) : createReadStream(path, { start, ...(end !== undefined ? { end: end - 1 } : {}), highWaterMark: 1024 * 1024, ...(signal ? { signal } : {}) }),
  };
}

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** The file changed (size or modification time) since it settled; the watcher will report it again. */
export class FileChanged extends CoreError {
  constructor(path: string) {
    super('file-changed', `${path} changed while being offloaded`, 'Nothing to do: it is offloaded once it stops changing.');
  }
}

/** A FIFO, socket, device or folder where a file was expected: never read (an open could block). */
export class NotRegularFile extends CoreError {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super('not-regular-file', `${path} is ${kind}, not a regular file: not offloaded`, 'Only regular files are offloaded; move it out of the watch folder if it should not be there.');
  }
}

/** The path no longer leads to a file inside the watch folder (a link was swapped in after it settled). */
export class OutsideWatchFolder extends CoreError {
  constructor(readonly path: string) {
    super(
      'outside-watch-folder',
      `${path} now leads outside the watch folder (a folder or the file was replaced by a symbolic link after it settled): it was not read, offloaded or removed`,
      'Find out who replaced the folder with a link; put the real folder back to have its files offloaded.',
    );
  }
}

/** What kind of entry a stat describes, for messages ("a FIFO (named pipe)"). */
export function entryKind(s: Stats): string {
  if (s.isFile()) return 'a regular file';
  if (s.isSymbolicLink()) return 'a symbolic link';
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'a special file';
}

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows, where FIFOs and symlinked files of this kind do not
// appear in ordinary folders; the real-path and inode checks below still apply there.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export class LocalFile implements ByteSource {
  /** Reads of the descriptor by a hashing thread, still running: close() waits for them. */
  private readonly lent = new Set<Promise<unknown>>();

  private constructor(
    readonly path: string,
    private readonly root: string,
    private readonly handle: FileHandle,
    private readonly opened: Stats,
  ) {}

  /**
   * Opens `path` (inside watch folder `root`) and checks it is the regular file that settled with
   * `expected`. Throws NotRegularFile, OutsideWatchFolder, FileChanged, or the OS error (ENOENT: gone).
   */
  static async open(path: string, root: string, expected: FileStamp): Promise<LocalFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, OPEN_FLAGS);
    } catch (error) {
      // ELOOP: the last component is a symbolic link (O_NOFOLLOW).
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new OutsideWatchFolder(path);
      throw error;
    }
    // Each stream on a FileHandle adds a 'close' listener to it until the handle closes; a file of
    // hundreds of parts would print a listener-leak warning. The growth is bounded by the file's parts
    // and ends when the handle closes. (FileHandle is an EventEmitter; its typings do not say so.)
    (handle as unknown as EventEmitter).setMaxListeners(0);
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) throw new NotRegularFile(path, entryKind(opened));
      const file = new LocalFile(path, root, handle, opened);
      if (!(await file.isStillAt())) throw new OutsideWatchFolder(path);
      if (opened.size !== expected.size || opened.mtimeMs !== expected.mtimeMs) throw new FileChanged(path);
      return file;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Device and inode of the opened file. */
  get identity(): { dev: number; ino: number } {
    return { dev: this.opened.dev, ino: this.opened.ino };
  }

  /**
   * True while `path` still names the opened file: the same inode, reached with no symbolic link on the
   * way, inside the watch root. Checked again right before anything is renamed or unlinked.
   */
  async isStillAt(): Promise<boolean> {
    try {
      const [real, realRoot] = await Promise.all([realpath(this.path), realpath(this.root)]);
      const rel = relative(this.root, this.path);
      if (rel.startsWith('..') || real !== join(realRoot, rel)) return false;
      const named = await lstat(real);
      return named.isFile() && this.sameInode(named);
    } catch {
      return false;
    }
  }

  /** True when `s` describes the opened file. */
  sameInode(s: Stats): boolean {
    return s.dev === this.opened.dev && s.ino === this.opened.ino;
  }

  /** The opened file's size and mtime now (it may be written to through another name or handle). */
  async stamp(): Promise<FileStamp> {
    const now = await this.handle.stat();
    return { size: now.size, mtimeMs: now.mtimeMs };
  }

  /** True when the opened file's size or mtime differ from `stamp`. */
  async changedSince(stamp: FileStamp): Promise<boolean> {
    const now = await this.stamp();
    return now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs;
  }

  stream(start = 0, end?: number, signal?: AbortSignal): Readable {
    if (end !== undefined && end <= start) return Readable.from([]); // an empty range (a zero-byte file)
    // Positioned reads (pread) on the shared handle: ranges can be read concurrently (multipart parts),
    // and it stays open for the next step (autoClose false). The FileHandle, not its number: closing it
    // waits for reads in flight and ends streams still open, where a bare descriptor could be closed
    // under a stream the SDK abandoned — and then reused by the next file opened.
    return createReadStream('', {
      fd: this.handle,
      autoClose: false,
      start,
      ...(end !== undefined ? { end: end - 1 } : {}),
      highWaterMark: 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
  }

  async readAt(target: Buffer, length: number, position: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(target, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  /**
   * Lends the open descriptor to `use` (a hashing thread reads it itself: digest-pool.ts), never the
   * path, so the bytes read are this checked file's. The handle stays open until `use` settles: close()
   * waits, as it does for its own reads, so the number is never reused by another file under the thread.
   */
  async withDescriptor<T>(use: (fd: number) => Promise<T>): Promise<T> {
    const reading = use(this.handle.fd);
    this.lent.add(reading);
    try {
      return await reading;
    } finally {
      this.lent.delete(reading);
    }
  }

  /** Idempotent. Waits for reads of the descriptor lent out (withDescriptor). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.lent]);
    await this.handle.close().catch(() => undefined);
  }
}
