/**
 * The bucket view's data (IPC group `bucket`, `offload ls --remote`): what a provider's bucket holds
 * under its key prefix, page by page, and which of those objects this machine's offload log knows.
 * Plain types and limits, so the window, the command and the core read them alike.
 */
import type { FileRecord } from './ledger';

/** Objects per page when none is asked for: the most one ListObjectsV2 call returns. */
export const BUCKET_PAGE_SIZE = 1000;

/**
 * The error code of a row added from the bucket (`bucket.adopt`): an object another machine or tool
 * uploaded, recorded as `local-removed` — its only copy is in the bucket (docs/engine.md "Adopting").
 */
export const ADOPTED_CODE = 'adopted';

/** Keys one `bucket.adopt` call may add (the window adds a selection; the command, none). */
export const MAX_ADOPT_KEYS = 1000;

/**
 * The prefix a provider's keys start with, as the engine builds them (shared/object-key.ts: segments
 * of the key prefix, NFC, joined by `/`), with the closing slash, so `results` does not list `results-old/`.
 */
export function listingPrefix(keyPrefix: string): string {
  const segments = keyPrefix.normalize('NFC').split(/[\\/]+/).filter((s) => s !== '');
  return segments.length ? `${segments.join('/')}/` : '';
}

export interface BucketObject {
  key: string;
  size: number;
  /** Epoch ms the bucket last wrote it. */
  lastModified: number;
  etag: string | null;
  /** The offload log's row for this object (same provider, bucket and key), or null: not in the library. */
  known: number | null;
}

export interface BucketPage {
  objects: BucketObject[];
  /** Pass it back to get the next page; null after the last one. */
  nextToken: string | null;
  /** Epoch ms the page was read from the bucket (pages are kept in memory until Refresh). */
  cachedAt: number;
}

/** What `bucket.adopt` did: the rows it added, and the keys the log knew already (left as they were). */
export interface AdoptResult {
  added: FileRecord[];
  alreadyKnown: { key: string; id: number }[];
}
