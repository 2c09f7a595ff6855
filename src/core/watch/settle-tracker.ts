/**
 * Tells when a file is finished: its size and modification time unchanged for `settleMs` (PRODUCT.md §4).
 * Every sighting (watcher event or start-up scan) restarts the file's timer; when the timer fires the
 * file is checked again and only reported if it has not moved. One timer per file, cleared on close.
 */
import { lstat } from 'node:fs/promises';
import { entryKind } from '../storage/local-file';

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface SettledFile extends FileStamp {
  path: string;
  symlink: boolean;
  /** What the entry is when it is neither a regular file nor a link ("a FIFO (named pipe)"), else null. */
  special: string | null;
  firstSeenAt: number;
}

interface Pending {
  stamp: FileStamp | null;
  timer: NodeJS.Timeout;
  firstSeenAt: number;
}

export class SettleTracker {
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(
    private readonly settleMs: number,
    private readonly onSettled: (file: SettledFile) => void,
    private readonly onVanished: (path: string) => void = () => undefined,
  ) {}

  /** Files seen but not yet finished. */
  get size(): number {
    return this.pending.size;
  }

  /** Notes a sighting of `path`; it will be reported once it has been still for the settle window. */
  observe(path: string, stamp: FileStamp | null = null): void {
    if (this.closed) return;
    const existing = this.pending.get(path);
    if (existing) clearTimeout(existing.timer);
    this.pending.set(path, {
      stamp: stamp ?? existing?.stamp ?? null,
      firstSeenAt: existing?.firstSeenAt ?? Date.now(),
      timer: setTimeout(() => void this.check(path), this.settleMs),
    });
  }

  forget(path: string): void {
    const p = this.pending.get(path);
    if (p) clearTimeout(p.timer);
    this.pending.delete(path);
  }

  private async check(path: string): Promise<void> {
    const entry = this.pending.get(path);
    if (!entry || this.closed) return;
    let now: FileStamp & { symlink: boolean; special: string | null };
    try {
      // lstat never follows a link nor opens the entry, so a FIFO or device cannot block here.
      const s = await lstat(path);
      now = { size: s.size, mtimeMs: s.mtimeMs, symlink: s.isSymbolicLink(), special: s.isFile() || s.isSymbolicLink() ? null : entryKind(s) };
    } catch {
      this.forget(path);
      this.onVanished(path);
      return;
    }
    if (this.pending.get(path) !== entry) return; // observed again while we were looking
    if (entry.stamp && entry.stamp.size === now.size && entry.stamp.mtimeMs === now.mtimeMs) {
      this.pending.delete(path);
      this.onSettled({ path, ...now, firstSeenAt: entry.firstSeenAt });
      return;
    }
    // First look, or it moved: remember what we saw and wait another window.
    entry.stamp = { size: now.size, mtimeMs: now.mtimeMs };
    entry.timer = setTimeout(() => void this.check(path), this.settleMs);
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}
