/**
 * The thumbnail cache: a folder beside the ledger (`thumbnails/`), one file per content hash, so a file
 * offloaded twice, moved to another storage or renamed keeps its picture, and nothing is made twice.
 *   <sha256>.webp         the thumbnail (≤ 320 px)
 *   <sha256>.poster.webp  a video's poster frame, its preview (≤ 1920 px)
 *   <sha256>.icon         empty: no picture can be made from this content (corrupt, too large), so the
 *                         type icon is shown without decoding it again
 * The folder is private like the data folder (0700, files 0600: thumbnails show what was offloaded).
 * Writes go to a temporary name and are renamed into place, so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, restrictDir } from '../private-files';

const sha256Pattern = /^[0-9a-f]{64}$/;

export type Cached = { thumb: Buffer } | { icon: true } | null;

export class ThumbnailCache {
  private ready: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  /** What is cached for `sha256`: the thumbnail, the "icon only" mark, or nothing yet. */
  async read(sha256: string): Promise<Cached> {
    const thumb = await readIfThere(this.file(sha256, '.webp'));
    if (thumb) return { thumb };
    return (await readIfThere(this.file(sha256, '.icon'))) ? { icon: true } : null;
  }

  /**
   * Whether anything is cached for `sha256`. Synchronous (two stat calls) because it runs inside the
   * `fileChanged` listener, which must decide at once whether to open the file.
   */
  hasSync(sha256: string): boolean {
    return existsSync(this.file(sha256, '.webp')) || existsSync(this.file(sha256, '.icon'));
  }

  readPoster(sha256: string): Promise<Buffer | null> {
    return readIfThere(this.file(sha256, '.poster.webp'));
  }

  /** Stores a thumbnail (and a video's poster, written first so a thumbnail never lacks its poster). */
  async write(sha256: string, thumb: Buffer, poster: Buffer | null): Promise<void> {
    if (poster) await this.put(this.file(sha256, '.poster.webp'), poster);
    await this.put(this.file(sha256, '.webp'), thumb);
  }

  /** Marks `sha256` as "icon only". */
  markIcon(sha256: string): Promise<void> {
    return this.put(this.file(sha256, '.icon'), Buffer.alloc(0));
  }

  /** A private temporary file in the cache folder (a remote video fetched for its frame); remove it after. */
  async tempFile(): Promise<string> {
    await this.ensure();
    return join(this.dir, `.fetch-${randomBytes(8).toString('hex')}.tmp`);
  }

  private file(sha256: string, suffix: string): string {
    // The hash comes from the ledger; checked anyway, since it becomes a file name.
    if (!sha256Pattern.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256 + suffix);
  }

  private async put(file: string, data: Buffer): Promise<void> {
    await this.ensure();
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, data, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Creates the folder 0700 on first write (the mode given at creation), and tightens an existing one. */
  private ensure(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE })
      .then(() => restrictDir(this.dir))
      .catch((error: unknown) => {
        this.ready = null; // tried again next time (a full disk may be freed)
        throw error;
      });
    return this.ready;
  }
}

async function readIfThere(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
