/**
 * Removes the local copy after upload, only when it is provably safe (RELIABILITY.md I1): the file is
 * first renamed aside so no writer can touch it, then checked to still have the verified size and mtime,
 * and the remote object is checked once more. Anything off puts the file back where it was.
 */
import { rename, stat, unlink } from 'node:fs/promises';
import type { FileDigest } from '../storage/file-digest';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { sameContent, verifiesUpload } from './remote-match';

export type RemovalOutcome = { removed: true } | { removed: false; reason: string };

/** The name a file has while its removal is being decided; never offloaded, restored at start-up. */
export const REMOVING_SUFFIX = '.offload-removing';

export async function removeLocalCopy(options: {
  path: string;
  mtimeMs: number;
  digest: FileDigest;
  store: S3ObjectStore;
  key: string;
  /** Moves a file to the OS trash; when absent the file is deleted. */
  trash?: ((path: string) => Promise<void>) | undefined;
}): Promise<RemovalOutcome> {
  const { path, digest } = options;
  const aside = `${path}${REMOVING_SUFFIX}`;
  await rename(path, aside);
  const putBack = async (reason: string): Promise<RemovalOutcome> => {
    await rename(aside, path);
    return { removed: false, reason };
  };
  const now = await stat(aside);
  if (now.size !== digest.size || now.mtimeMs !== options.mtimeMs) {
    return putBack('the local file changed after it was uploaded, so it was kept');
  }
  const remote = await options.store.head(options.key).catch(() => null);
  if (!remote || !(verifiesUpload(remote, digest) || sameContent(remote, digest))) return putBack('the remote copy could not be re-verified, so the local file was kept');
  if (options.trash) {
    await rename(aside, path);
    await options.trash(path);
  } else {
    await unlink(aside);
  }
  return { removed: true };
}
