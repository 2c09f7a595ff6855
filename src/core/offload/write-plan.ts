/**
 * Where to write a file, given what is at its key already and the conflict policy (PRODUCT.md §4: never a
 * silent overwrite). An object that provably holds the same bytes is reused; a different one is skipped,
 * overwritten or kept beside (`name-1.ext`, …) as the policy says.
 */
import type { OpaqueEtags, ProviderEntry } from '../../shared/providers/catalog';
import { CoreError } from '../errors';
import type { ConflictPolicy, UploadSettings } from '../../shared/settings';
import { choosePartSize, type FileDigest } from '../storage/file-digest';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { VerifyMismatch } from './job-errors';
import { suffixedKey } from './object-key';
import { sameContent, verifiesUpload } from './remote-match';

export type WritePlan =
  /** Upload to `key`; `ifNoneMatch` when the provider honours conditional writes and the key was free. */
  | { action: 'upload'; key: string; ifNoneMatch: boolean }
  /** The object at `key` already holds these bytes. */
  | { action: 'identical'; key: string }
  /** Another object is at the key and the policy is "skip". */
  | { action: 'conflict' };

const MAX_KEEP_BOTH = 1000;

/**
 * The part size a file of `size` bytes is written in on this provider, or null for one PUT: the same for
 * an upload and a move, so an object written either way is recognised by the other (remote-match.ts).
 */
export function partSizeFor(size: number, upload: Pick<UploadSettings, 'multipartThresholdBytes' | 'partSizeBytes'>, entry: Pick<ProviderEntry, 'maxSinglePutBytes'>): number | null {
  return size > Math.min(upload.multipartThresholdBytes, entry.maxSinglePutBytes) ? choosePartSize(size, upload.partSizeBytes) : null;
}

/**
 * The first write of a file sent in one PUT where the provider is known to honour create-only writes:
 * no look at the key first — the PUT with `If-None-Match: *` is the existence check. A free key (the
 * usual case) then costs one request instead of a HEAD and a PUT; a taken key answers 412, and the
 * caller plans again with planWrite, which decides identical / skip / overwrite / keep-both exactly as
 * before (so keep-both names the same keys). Null when the key must be looked at first:
 * - `conditionalWrites` is what the connection test observed, not what the catalog expects. A server
 *   that ignored the condition would make this write a silent overwrite of every object already at its
 *   key; with a look first it could only lose a race.
 * - multipart files: a taken key would be found only at CompleteMultipartUpload, after every part was
 *   sent, and a resumed upload must keep its planned key.
 * - a file an earlier attempt or run already planned a key for (`keyedBefore`): it may be written, even
 *   verified (a restart finishing its removal, a crash between the write and its record), and a HEAD
 *   finds that without sending the bytes again.
 */
export function createOnlyFirst(options: { key: string; digest: Pick<FileDigest, 'partSize'>; conditionalWritesObserved: boolean | null; keyedBefore: boolean }): WritePlan | null {
  if (options.conditionalWritesObserved !== true || options.digest.partSize !== null || options.keyedBefore) return null;
  return { action: 'upload', key: options.key, ifNoneMatch: true };
}

export async function planWrite(options: {
  store: Pick<S3ObjectStore, 'head'>;
  key: string;
  digest: FileDigest;
  /** What the connection test observed, else what the catalog expects. */
  conditionalWrites: boolean;
  policy: ConflictPolicy;
  /** The provider's opaque-ETag allowance (remote-match.ts opaqueEtagsFor). */
  opaqueEtags: OpaqueEtags | null;
  signal: AbortSignal;
}): Promise<WritePlan> {
  const { store, key, digest, signal, conditionalWrites, opaqueEtags } = options;
  const existing = await store.head(key, signal);
  if (!existing) return { action: 'upload', key, ifNoneMatch: conditionalWrites };
  if (sameContent(existing, digest, opaqueEtags)) return { action: 'identical', key };
  switch (options.policy) {
    case 'skip':
      return { action: 'conflict' };
    case 'overwrite':
      return { action: 'upload', key, ifNoneMatch: false };
    case 'keep-both':
      for (let n = 1; n <= MAX_KEEP_BOTH; n++) {
        const candidate = suffixedKey(key, n);
        const other = await store.head(candidate, signal);
        if (!other) return { action: 'upload', key: candidate, ifNoneMatch: conditionalWrites };
        if (sameContent(other, digest, opaqueEtags)) return { action: 'identical', key: candidate };
      }
      throw new CoreError('keep-both-exhausted', `more than ${MAX_KEEP_BOTH} different objects already exist next to ${key}`, 'Clean up the bucket at that key, or set the conflict policy to skip or overwrite.');
  }
}

/**
 * Proves what is at `key` now holds the bytes of `digest`: strictly for our own write (`uploaded`), and
 * for an object that was already there, that it provably holds them. Throws VerifyMismatch otherwise.
 *
 * Kept after a PUT whose answer looked right (Content-MD5 accepted, our MD5 as the ETag): that answer is
 * the server's account of the bytes it received, computed on the way in; this HEAD reads what it holds
 * afterwards under the key — the object exists and is readable there, with our size, our SHA-256 metadata
 * (which the PUT's answer never echoes, and which later recognition, adoption and restore rely on) and
 * the ETag. A gateway that acknowledges before its store commits, one that drops user metadata, or a
 * write landing on the key right after ours is caught here, before the file counts as offloaded
 * (docs/PERFORMANCE.md, 2026-12-02: measured and kept).
 */
export async function verifyWritten(options: { store: Pick<S3ObjectStore, 'head'>; key: string; uploaded: boolean; digest: FileDigest; opaqueEtags: OpaqueEtags | null; signal: AbortSignal }): Promise<void> {
  const { store, key, uploaded, digest, opaqueEtags } = options;
  const remote = await store.head(key, options.signal);
  if (!(uploaded ? verifiesUpload(remote, digest, opaqueEtags) : remote !== null && sameContent(remote, digest, opaqueEtags))) {
    throw new VerifyMismatch(`verification failed: the object at ${key} does not match the file (size, checksum or ETag differ)`);
  }
}
