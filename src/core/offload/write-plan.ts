/**
 * Where to write a file, given what is at its key already and the conflict policy (PRODUCT.md §4: never a
 * silent overwrite). An object that provably holds the same bytes is reused; a different one is skipped,
 * overwritten or kept beside (`name-1.ext`, …) as the policy says.
 */
import type { OpaqueEtags } from '../../shared/providers/catalog';
import { CoreError } from '../errors';
import type { ConflictPolicy } from '../../shared/settings';
import type { FileDigest } from '../storage/file-digest';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { suffixedKey } from './object-key';
import { sameContent } from './remote-match';

export type WritePlan =
  /** Upload to `key`; `ifNoneMatch` when the provider honours conditional writes and the key was free. */
  | { action: 'upload'; key: string; ifNoneMatch: boolean }
  /** The object at `key` already holds these bytes. */
  | { action: 'identical'; key: string }
  /** Another object is at the key and the policy is "skip". */
  | { action: 'conflict' };

const MAX_KEEP_BOTH = 1000;

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
