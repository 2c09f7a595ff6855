/**
 * Removes the local copy after upload, only when it is provably safe (RELIABILITY.md I1):
 *   1. the path must still name the very file that was hashed and uploaded (same inode, no symbolic link
 *      on the way, inside the watch folder);
 *   2. it is renamed aside (`name.offload-removing`), so no writer can reach it by its name, and what was
 *      moved must again be that inode with the verified size and mtime;
 *   3. the remote object is checked once more;
 *   4. the aside copy is unlinked, or moved to the trash as it is; when the trash fails, it is put back
 *      (kept, with the reason), never deleted instead.
 * Nothing here ever writes over a name: a new file saved at the path while the remote check runs stays
 * untouched, and a copy that must be put back goes in with a no-replace primitive — beside the new file,
 * under a "kept" name, when the name is taken (both versions kept, and the caller says so).
 */
import { link, lstat, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { OpaqueEtags } from '../../shared/providers/catalog';
import { CoreError } from '../errors';
import { entryExists, hardLinksUnsupported } from '../fs-entries';
import type { FileDigest } from '../storage/file-digest';
import type { LocalFile } from '../storage/local-file';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { sameContent, verifiesUpload } from './remote-match';

export type RemovalOutcome = { removed: true } | { removed: false; reason: string };

/** The name a file has while its removal is being decided; never offloaded, restored at start-up. */
export const REMOVING_SUFFIX = '.offload-removing';

/** Most "kept" names tried beside a taken name before giving up (the aside copy then stays, and is said). */
const MAX_KEPT_NAMES = 100;

export async function removeLocalCopy(options: {
  file: LocalFile;
  mtimeMs: number;
  digest: FileDigest;
  store: Pick<S3ObjectStore, 'head'>;
  key: string;
  /** The provider's opaque-ETag allowance (remote-match.ts opaqueEtagsFor). */
  opaqueEtags?: OpaqueEtags | null;
  /** Moves a file to the OS trash; when absent the file is deleted. It must throw with the file left where it was. */
  trash?: ((path: string, restorePath: string) => Promise<void>) | undefined;
}): Promise<RemovalOutcome> {
  const { file, digest } = options;
  const path = file.path;
  const aside = `${path}${REMOVING_SUFFIX}`;
  if (!(await file.isStillAt())) return { removed: false, reason: 'the file at this path is no longer the one that was uploaded, so nothing was removed' };
  // A leftover of an interrupted removal holds another copy: never rename over it.
  if (await entryExists(aside)) return { removed: false, reason: `${aside} already exists (left by an interrupted removal), so the local file was kept` };
  await rename(path, aside);
  const putBack = async (reason: string): Promise<RemovalOutcome> => {
    const restoredAt = await restoreNoReplace(aside, path);
    return { removed: false, reason: restoredAt === path ? reason : `${reason}; a new file had been saved at ${path} meanwhile, so both were kept (the uploaded version is ${restoredAt})` };
  };
  // A writer could have replaced the file between the check and the rename: then we moved theirs.
  const moved = await lstat(aside);
  if (!moved.isFile() || !file.sameInode(moved)) return putBack('the file was replaced just before its removal, so it was kept');
  const now = await file.stamp();
  if (now.size !== digest.size || now.mtimeMs !== options.mtimeMs) return putBack('the local file changed after it was uploaded, so it was kept');
  const remote = await options.store.head(options.key).catch(() => null);
  const opaqueEtags = options.opaqueEtags ?? null;
  if (!remote || !(verifiesUpload(remote, digest, opaqueEtags) || sameContent(remote, digest, opaqueEtags))) return putBack('the remote copy could not be re-verified, so the local file was kept');
  if (!options.trash) {
    await unlink(aside);
    return { removed: true };
  }
  try {
    await options.trash(aside, path);
  } catch (error) {
    // The user chose the trash: a file no trash takes is kept, never deleted instead. A trash that
    // fails leaves the aside copy where it was (trash.ts, src/main/trash-item.ts), so it goes back.
    const why = `it could not be moved to the trash (${(error as Error).message})`;
    if (!(await entryExists(aside))) return { removed: false, reason: `${why}, and it is no longer at ${aside}: look for it in the trash` };
    return putBack(`${why}, so the local file was kept`);
  }
  return { removed: true };
}

/**
 * Moves `from` to `to` without ever replacing an existing `to`: a hard link (which fails when the name is
 * taken) and then the unlink of `from`. When `to` is taken, the first free "kept" name beside it is used
 * (`photo (kept 1).png`; `besideName` gives another naming, e.g. restore.ts's `restoredName`). Returns the
 * name the file ended up under. Where hard links are not supported (FAT, some network shares) it falls
 * back to a rename after checking the name is free; that check and the rename are not atomic, which is
 * the best such a file system allows.
 */
export async function restoreNoReplace(from: string, to: string, besideName: (path: string, n: number) => string = keptName): Promise<string> {
  for (let n = 0; n <= MAX_KEPT_NAMES; n++) {
    const target = n === 0 ? to : besideName(to, n);
    try {
      await link(from, target);
      await unlink(from);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (!hardLinksUnsupported(error)) throw error;
      if (await entryExists(target)) continue;
      await rename(from, target);
      return target;
    }
  }
  throw new CoreError('restore-names-taken', `could not put ${from} back: ${to} and ${MAX_KEPT_NAMES} names beside it are taken; the file stays at ${from}`, `Rename ${from} yourself; nothing was deleted.`);
}

/** `dir/photo.png` → `dir/photo (NOTE).png`: a name beside a taken one, the extension kept last. */
export function nameBeside(path: string, note: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)} (${note})${ext}`);
}

/** `dir/photo.png` → `dir/photo (kept N).png`. */
export function keptName(path: string, n: number): string {
  return nameBeside(path, `kept ${n}`);
}
