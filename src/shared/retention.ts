/**
 * The local retention policy (issue #19): when the copy on this computer of an offloaded file leaves.
 * Rules combine — "right away", "after N days", "when space runs low" — and none of them on means every
 * local copy is kept. Set in General and overridable per watch folder; the core applies it
 * (src/core/retention/), the window edits it. Only files whose remote copy is verified ever leave, each
 * checked again right before, and a pinned file or folder never does.
 */
import { z } from 'zod';

/** "When space runs low": below this much free space on the watch folder's disk. */
export const lowSpaceSchema = z
  .object({
    below: z.number().positive('must be more than 0'),
    /** GB (10^9 bytes, as disks are sold and file managers show) or a percentage of the disk. */
    unit: z.enum(['GB', '%']),
  })
  .refine((v) => v.unit !== '%' || v.below < 100, { message: 'a percentage must be under 100', path: ['below'] });
export type LowSpaceRule = z.infer<typeof lowSpaceSchema>;

const days = z.number().int('whole days').min(1, 'at least 1 day').max(3650, 'at most 3650 days');

/**
 * The OS trash is on the same disk (or keeps the bytes there until emptied), so moving copies to it frees
 * nothing: a low-space rule would trash copy after copy and never reach its mark.
 */
const trashFreesNothing = { message: 'the trash keeps removed copies on the same disk, so it cannot free space: turn off "move to the trash" or the low-space rule', path: ['moveToTrash'] };
const noTrashForSpace = (p: { lowSpace: unknown; moveToTrash: boolean }) => !(p.lowSpace && p.moveToTrash);

export const retentionSchema = z.object({
  /** Remove the local copy as soon as its remote copy is verified (what the per-provider switch did). */
  rightAway: z.boolean().default(false),
  /** Remove a local copy this many days after it was offloaded; null: not by age. */
  afterDays: days.nullable().default(null),
  /** Remove the oldest offloaded copies while the disk has less free space than this; null: not by space. */
  lowSpace: lowSpaceSchema.nullable().default(null),
  /** Move removed copies to the OS trash instead of deleting them. */
  moveToTrash: z.boolean().default(false),
}).refine(noTrashForSpace, trashFreesNothing);
export type RetentionPolicy = z.infer<typeof retentionSchema>;

/** What the window sends: every field, so a save is never a partial merge the user did not see. */
export const retentionInputSchema = z
  .object({
    rightAway: z.boolean(),
    afterDays: days.nullable(),
    lowSpace: lowSpaceSchema.nullable(),
    moveToTrash: z.boolean(),
  })
  .strict()
  .refine(noTrashForSpace, trashFreesNothing);

/** Keep every local copy. */
export const KEEP_EVERYTHING: RetentionPolicy = { rightAway: false, afterDays: null, lowSpace: null, moveToTrash: false };

/** Whether any rule removes local copies. */
export function removesLocalCopies(policy: RetentionPolicy): boolean {
  return policy.rightAway || policy.afterDays !== null || policy.lowSpace !== null;
}

/** "after 14 days, or sooner when space runs low (under 10 GB free)"; "never (every local copy is kept)". */
export function describeRetention(policy: RetentionPolicy): string {
  const parts: string[] = [];
  if (policy.rightAway) parts.push('right away, once the remote copy is verified');
  if (policy.afterDays !== null) parts.push(`${parts.length ? 'and ' : ''}after ${policy.afterDays} day${policy.afterDays === 1 ? '' : 's'}${policy.rightAway ? ' for a file brought back' : ''}`);
  if (policy.lowSpace) parts.push(`${parts.length ? 'or sooner ' : ''}when space runs low (under ${policy.lowSpace.below} ${policy.lowSpace.unit === '%' ? '%' : 'GB'} free)`);
  return parts.length ? parts.join(', ') : 'never (every local copy is kept)';
}

/** Why the policy picked a file: the rule that made it a candidate. */
export const retentionReasons = ['right-away', 'age', 'space'] as const;
export type RetentionReason = (typeof retentionReasons)[number];

/** One local copy the policy would remove now. */
export interface RetentionCandidate {
  id: number;
  path: string;
  size: number;
  /** Epoch ms it was offloaded (its age is counted from this; access times are not used). */
  offloadedAt: number;
  /** The record as the plan saw it (a pass skips a file whose record changed since). */
  updatedAt: number;
  reason: RetentionReason;
}

/** A watch folder's disk: what is free, and the low-space mark when that rule is on. */
export interface DiskSpace {
  watchRoot: string;
  freeBytes: number;
  totalBytes: number;
  /** Free space the low-space rule keeps (null: that rule is off for this folder). */
  markBytes: number | null;
  /** What a low-space pass frees up to, above the mark (the mark plus the margin). */
  targetBytes: number | null;
}

/** What `offload retention --dry-run` lists and the dashboard counts. */
export interface RetentionPlan {
  candidates: RetentionCandidate[];
  /** Bytes the candidates free. */
  bytes: number;
  disks: DiskSpace[];
}

/** What a pass did. */
export interface RetentionReport {
  removed: { id: number; path: string; size: number; reason: RetentionReason }[];
  /** Candidates kept after all, and why (changed since the upload, remote copy not verifiable, pinned…). */
  kept: { id: number; path: string; reason: string }[];
  /** Candidates whose local copy was already gone (removed by hand, or by a pass cut off): the log now says so. */
  gone: { id: number; path: string }[];
  freedBytes: number;
  disks: DiskSpace[];
}

/** A file or folder kept on this computer whatever the policy says. */
export interface Pin {
  path: string;
  pinnedAt: number;
}

/** Dashboard and `offload status` figures. */
export interface RetentionFigures {
  /** The General policy, in words. */
  policy: string;
  disks: DiskSpace[];
  /** Bytes (and files) the policy could free now. */
  freeableBytes: number;
  freeableFiles: number;
  /** Bytes of verified files whose local copy was removed, over all storages. */
  freedBytes: number;
  pins: number;
  /**
   * Changes whenever the pins do (a digest of their paths): a window reads the list again when it changes,
   * also for a pin and an unpin made elsewhere that leave the number as it was.
   */
  pinsRevision: string;
}
