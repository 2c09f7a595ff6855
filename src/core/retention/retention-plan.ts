/**
 * Which local copies the retention policy removes now (issue #19) — a pure function of the log's rows,
 * the clock, the disks and the pins, so every rule is tested without waiting days or filling a disk.
 *
 * Candidates are the newest version of each path in state `offloaded` (verified remote copy, local copy
 * kept): never a pinned file, never one a move is working on. Their age counts from when they were
 * offloaded (or brought back, which offloads them again): access times are not used, as Linux mounts
 * with `relatime`/`noatime` and Windows may not update them, so "last opened" would be a guess.
 *   right away — every candidate, except a file the user brought back on purpose (`restored`);
 *   after N days — candidates offloaded at least N days ago;
 *   low space — on each disk under its mark, the oldest candidates of the folders with that rule, until
 *               the bytes they free reach the target (the mark plus a margin). Counted from the sizes,
 *               not measured again, so a pass is bounded even when the OS trash keeps the bytes on disk.
 */
import type { FileRecord } from '../../shared/ledger';
import type { DiskSpace, RetentionCandidate, RetentionPlan, RetentionPolicy, RetentionReason } from '../../shared/retention';

const DAY_MS = 86_400_000;

export interface PlanInput {
  rows: readonly FileRecord[];
  now: number;
  policyFor(watchRoot: string): RetentionPolicy;
  isPinned(path: string): boolean;
  /** Files a move between storages is working on. */
  isMoving(id: number): boolean;
  /** Each watch folder's disk (absent: unreadable, so no low-space rule applies there). */
  disks: ReadonlyMap<string, { space: DiskSpace; device: number }>;
}

export const offloadedAt = (row: FileRecord): number => row.timestamps.offloaded ?? row.updatedAt;

export function planRetention(input: PlanInput): RetentionPlan {
  const picked = new Map<number, RetentionCandidate>();
  const pick = (row: FileRecord, reason: RetentionReason) => void picked.set(row.id, { id: row.id, path: row.path, size: row.size, offloadedAt: offloadedAt(row), updatedAt: row.updatedAt, reason });
  const eligible = input.rows.filter((row) => row.state === 'offloaded' && !input.isPinned(row.path) && !input.isMoving(row.id));

  for (const row of eligible) {
    const policy = input.policyFor(row.watchRoot);
    if (policy.rightAway && row.errorCode !== 'restored') pick(row, 'right-away');
    else if (policy.afterDays !== null && input.now - offloadedAt(row) >= policy.afterDays * DAY_MS) pick(row, 'age');
  }

  // Low space, disk by disk: what each disk still needs after the rules above, oldest copies first.
  const byDevice = new Map<number, { need: number; roots: Set<string> }>();
  for (const [root, { space, device }] of input.disks) {
    if (space.markBytes === null || space.targetBytes === null || space.freeBytes >= space.markBytes) continue;
    const entry = byDevice.get(device) ?? { need: 0, roots: new Set<string>() };
    entry.need = Math.max(entry.need, space.targetBytes - space.freeBytes);
    entry.roots.add(root);
    byDevice.set(device, entry);
  }
  for (const { need, roots } of byDevice.values()) {
    const onDisk = eligible.filter((row) => roots.has(row.watchRoot));
    let freeing = onDisk.filter((row) => picked.has(row.id)).reduce((sum, row) => sum + row.size, 0);
    for (const row of [...onDisk].sort((a, b) => offloadedAt(a) - offloadedAt(b) || a.id - b.id)) {
      if (freeing >= need) break;
      if (picked.has(row.id)) continue;
      pick(row, 'space');
      freeing += row.size;
    }
  }

  const candidates = [...picked.values()].sort((a, b) => a.offloadedAt - b.offloadedAt || a.id - b.id);
  return { candidates, bytes: candidates.reduce((sum, c) => sum + c.size, 0), disks: [...input.disks.values()].map((d) => d.space) };
}
