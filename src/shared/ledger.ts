/** The ledger's record of one file version, and its states (PRODUCT.md §5). */

export const fileStates = [
  'detected',
  'settling',
  'queued',
  'uploading',
  'verifying',
  'offloaded',
  'local-removed',
  'failed',
  'conflict',
  'vanished',
  'skipped',
  /** Deleted from the bucket at the user's request; the local copy was kept. */
  'remote-deleted',
] as const;
export type FileState = (typeof fileStates)[number];

/** States after which the engine does nothing more with a file unless asked (retry). */
export const finalStates: ReadonlySet<FileState> = new Set(['offloaded', 'local-removed', 'failed', 'conflict', 'vanished', 'skipped', 'remote-deleted']);

/**
 * Why a skipped file is kept on this machine (the log's error code): already in the folder when watching
 * began, Local was the storage, or the provider could not be used. What "kept local" counts, and what a
 * move from `local` takes.
 */
export const keptLocalCodes: readonly string[] = ['existing', 'local', 'provider-unusable'];

/** States in which the remote copy is verified. */
export const verifiedStates: ReadonlySet<FileState> = new Set(['offloaded', 'local-removed']);

export interface FileRecord {
  id: number;
  /** Absolute local path. */
  path: string;
  watchRoot: string;
  relPath: string;
  size: number;
  mtimeMs: number;
  sha256: string | null;
  state: FileState;
  providerId: string | null;
  bucket: string | null;
  key: string | null;
  url: string | null;
  attempts: number;
  lastError: string | null;
  errorCode: string | null;
  /** Epoch ms of the last entry into each state. */
  timestamps: Partial<Record<FileState, number>>;
  updatedAt: number;
}

/** What one storage holds, from the log: verified files and their bytes, and the local bytes freed. */
export interface StorageFigures {
  providerId: string;
  files: number;
  bytes: number;
  /** Bytes of verified files whose local copy was removed. */
  freedBytes: number;
}

/** Space figures for `offload status` and the dashboard (issue #14 "Space"). */
export interface SpaceFigures {
  storages: StorageFigures[];
  /** Files kept on this machine: already there when watching began, Local storage, an unusable provider. */
  keptLocal: { files: number; bytes: number };
}

export interface StateCounts {
  total: number;
  byState: Partial<Record<FileState, number>>;
}
