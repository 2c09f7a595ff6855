/**
 * Free space on a watch folder's disk, and the low-space rule's mark and target there. Read with statfs:
 * `bavail` (what an unprivileged writer can use, as file managers show it), not `bfree`.
 */
import { stat, statfs } from 'node:fs/promises';
import type { DiskSpace, LowSpaceRule } from '../../shared/retention';

const GB = 1e9;

/** What a low-space pass frees beyond the mark, so it does not run again at the next file: 2 % of the disk, at most 1 GB. */
export function marginFor(totalBytes: number): number {
  return Math.min(GB, Math.round(totalBytes * 0.02));
}

/** The free space the rule keeps on a disk of `totalBytes`. */
export function markFor(rule: LowSpaceRule, totalBytes: number): number {
  return Math.round(rule.unit === '%' ? (totalBytes * rule.below) / 100 : rule.below * GB);
}

export interface DiskReading {
  /** The device: folders on one disk share free space. */
  device: number;
  freeBytes: number;
  totalBytes: number;
}

/** Reads a folder's disk; null when the folder cannot be read (it is gone, or not mounted). */
export async function readDisk(path: string): Promise<DiskReading | null> {
  try {
    const [fs, info] = await Promise.all([statfs(path), stat(path)]);
    return { device: info.dev, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
  } catch {
    return null;
  }
}

export function diskSpace(watchRoot: string, reading: DiskReading, rule: LowSpaceRule | null): DiskSpace {
  const markBytes = rule ? markFor(rule, reading.totalBytes) : null;
  const targetBytes = markBytes === null ? null : Math.min(reading.totalBytes, markBytes + marginFor(reading.totalBytes));
  return { watchRoot, freeBytes: reading.freeBytes, totalBytes: reading.totalBytes, markBytes, targetBytes };
}
