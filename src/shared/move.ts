/**
 * Moving a storage's files to another (issue #14 "Move"; docs/move.md): what the core, the `offload
 * migrate` command and the window's move screen share.
 */

/** The source that stands for the files kept on this machine (skipped as existing, kept while Local was active). */
export const LOCAL_SOURCE = 'local';

/** One file a move would take, as the plan lists it. */
export interface MoveItem {
  id: number;
  path: string;
  size: number;
}

/** What a move from `from` to `to` would do now (`offload migrate --dry-run`, the move screen's summary). */
export interface MovePlan {
  from: string;
  to: string;
  files: number;
  bytes: number;
  items: MoveItem[];
  /**
   * Source objects an earlier `--delete-source` run copied but had not deleted yet when it stopped: the
   * next run deletes them first (their files are verified on the target already).
   */
  pendingDeletes: number;
}

/** How one file's move ended. */
export type MoveOutcome =
  /** Copied to the target, verified, and the log now points there. */
  | 'moved'
  /** Identical content was on the target already at the key: verified, and the log points there. */
  | 'already-there'
  /** Not moved (its source object is missing or differs, the target refused it, …): left where it was. */
  | 'failed';

export interface MoveFileResult {
  id: number;
  path: string;
  outcome: MoveOutcome;
  size: number;
  /** Where the file is now (the target's key and link), for moved files. */
  key?: string;
  url?: string | null;
  /** Why it was not moved, or what is left to do (a source copy that could not be deleted). */
  message?: string;
  /** The error code, for failures. */
  code?: string;
}

export type MovePhase = 'running' | 'paused' | 'cancelling' | 'finished' | 'cancelled';

/** Where a move stands: the window's progress, `offload migrate --json`'s progress lines. */
export interface MoveProgress {
  from: string;
  to: string;
  deleteSource: boolean;
  phase: MovePhase;
  files: { total: number; done: number; failed: number };
  bytes: { total: number; done: number };
  /** Bytes per second over the run so far (0 before the first byte). */
  bytesPerSecond: number;
  /** Estimated seconds until the last byte, or null while there is no rate to go by. */
  secondsLeft: number | null;
  startedAt: number;
  /** Files that could not be moved, with why. */
  failures: { path: string; message: string }[];
}
