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
 */
export async function verifyWritten(options: { store: Pick<S3ObjectStore, 'head'>; key: string; uploaded: boolean; digest: FileDigest; opaqueEtags: OpaqueEtags | null; signal: AbortSignal }): Promise<void> {
  const { store, key, uploaded, digest, opaqueEtags } = options;
  const remote = await store.head(key, options.signal);
  if (!(uploaded ? verifiesUpload(remote, digest, opaqueEtags) : remote !== null && sameContent(remote, digest, opaqueEtags))) {
    throw new VerifyMismatch(`verification failed: the object at ${key} does not match the file (size, checksum or ETag differ)`);
  }
}
