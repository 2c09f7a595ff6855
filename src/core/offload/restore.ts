/**
 * Bringing an offloaded file back from its bucket (`offload restore`, "Bring back" in the log). The object
 * is streamed into a hidden temporary file beside the target (a dot name: never offloaded by a watcher),
 * hashed while it is written and fsynced; only a copy whose SHA-256 and size are the ledger's goes in
 * place, with the recorded mtime. It is moved in with the no-replace primitive of local-removal.ts, so a
 * different file already at the path is never overwritten: the restored copy goes beside it as
 * `name (restored).ext` (then `name (restored 2).ext`, …). On any failure the temporary file is deleted:
 * nothing partial is left.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CoreError } from '../errors';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { nameBeside, restoreNoReplace } from './local-removal';

export interface BroughtBack {
  /** Where the file is now: the target, or a "(restored)" name beside it. */
  path: string;
  /** The mtime it has (the recorded one, to the precision the file system's utimes keeps). */
  mtimeMs: number;
}

/** `dir/photo.png` → `dir/photo (restored).png` (n = 1), `dir/photo (restored 2).png` (n = 2), … */
export function restoredName(path: string, n: number): string {
  return nameBeside(path, n > 1 ? `restored ${n}` : 'restored');
}

/** The hidden temporary name a download is written under, beside the target. */
export function restoringName(target: string): string {
  return join(dirname(target), `.${basename(target).slice(0, 120)}.${randomBytes(6).toString('hex')}.offload-restoring`);
}

export async function bringBack(options: {
  store: Pick<S3ObjectStore, 'download' | 'bucket'>;
  key: string;
  /** What the ledger recorded when the file was offloaded. */
  expected: { sha256: string; size: number; mtimeMs: number };
  target: string;
  signal?: AbortSignal;
}): Promise<BroughtBack> {
  const { store, key, expected, target } = options;
  await mkdir(dirname(target), { recursive: true });
  const temp = restoringName(target);
  let placed = false;
  try {
    const got = await store.download(key, temp, options.signal);
    if (got.sha256 !== expected.sha256 || got.size !== expected.size) {
      throw new CoreError(
        'restore-checksum-mismatch',
        `${target}: the object ${store.bucket}/${key} is not the file that was offloaded (SHA-256 ${got.sha256}, ${got.size} bytes; the log recorded ${expected.sha256}, ${expected.size} bytes); nothing was restored`,
        'The object was changed in the bucket after the upload: look for an earlier version there (bucket versioning), or keep the local copy you have.',
      );
    }
    await utimes(temp, new Date(), expected.mtimeMs / 1000);
    const { mtimeMs } = await stat(temp);
    const path = await restoreNoReplace(temp, target, restoredName);
    placed = true;
    return { path, mtimeMs };
  } finally {
    if (!placed) await unlink(temp).catch(() => undefined);
  }
}
