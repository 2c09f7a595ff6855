/**
 * Intake: from the watchers' finished files to ledger rows (ARCHITECTURE.md "How one file flows", first
 * half). Each finished file is recorded once per version — queued for the active storage, or skipped with
 * the reason (a link, a FIFO, a file that was there before watching began, Local storage) — and queued
 * files are handed to the scheduler. It also puts back what an interrupted local removal set aside.
 */
import { stat } from 'node:fs/promises';
import type { EngineEvents } from '../../shared/events';
import { finalStates, type FileRecord } from '../../shared/ledger';
import type { Settings, WatchFolder } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import type { Ledger } from '../ledger/ledger';
import { FolderWatcher, type FinishedFile } from '../watch/folder-watcher';
import { REMOVING_SUFFIX, restoreNoReplace } from './local-removal';
import { policyFor } from '../retention/policy-for';

/** The active provider when it is ready, else why new files stay local. */
export type StorageCheck = { ok: true; providerId: string } | { ok: false; reason: string; local: boolean };

export interface IntakeOptions {
  /** As they were when the engine started: watch folders and the settle window are fixed for its life. */
  settings: Readonly<Settings>;
  ledger: Ledger;
  events: TypedEmitter<EngineEvents>;
  /** Checked once at the engine's start: settings are fixed for an engine's life. */
  storage: StorageCheck;
  /** The settings now: the retention policy is read live, not fixed at the start. */
  liveSettings(): Readonly<Settings>;
  enqueue(id: number): void;
  /** A ledger write failed while recording a file (the engine halts). */
  onError(error: unknown): void;
  isStopped(): boolean;
}

export class Intake {
  private readonly watchers: FolderWatcher[] = [];
  private localFallbackNoticed = '';

  constructor(private readonly o: IntakeOptions) {}

  /** Files seen but not finished yet, over every folder. */
  get settling(): number {
    return this.watchers.reduce((sum, w) => sum + w.settling, 0);
  }

  /** Starts watching every folder; resolves when their start-up scans are done. */
  async start(): Promise<void> {
    await Promise.all(this.o.settings.watchFolders.map((folder) => this.watch(folder)));
  }

  /** Looks at a file again from scratch (it changed while being offloaded). */
  recheck(row: FileRecord): void {
    this.watchers.find((w) => w.folder.path === row.watchRoot)?.recheck(row.path);
  }

  /** Idempotent. */
  async close(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.close()));
  }

  private async watch(folder: WatchFolder): Promise<void> {
    try {
      if (!(await stat(folder.path)).isDirectory()) throw new Error('not a folder');
    } catch (error) {
      this.notice('error', 'watch-folder-missing', `Watch folder ${folder.path} cannot be watched (${(error as Error).message}); nothing is offloaded from it.`);
      return;
    }
    const known = this.o.ledger.markRootSeen(folder.path);
    const watcher = new FolderWatcher(folder, this.o.settings.upload.settleMs, {
      onFinished: (file) => {
        try {
          this.onFinished(file, known);
        } catch (error) {
          this.o.onError(error);
        }
      },
      onNotice: (code, message) => this.notice('error', code, message),
      onLeftover: (path) => void this.restoreLeftover(path),
    });
    this.watchers.push(watcher);
    await watcher.start();
  }

  private onFinished(file: FinishedFile, rootWasKnown: boolean): void {
    if (this.o.isStopped()) return;
    const ledger = this.o.ledger;
    const latest = ledger.latestForPath(file.path);
    const unchanged = latest !== null && latest.size === file.size && latest.mtimeMs === file.mtimeMs;
    if (latest && unchanged && latest.state === 'offloaded' && this.removalPending(latest)) {
      // Verified, but the local removal did not happen (a crash): check the remote copy again, then remove.
      return this.queue(ledger.transition(latest.id, 'queued'));
    }
    if (latest && unchanged && finalStates.has(latest.state)) return; // already handled this version
    if (latest && !finalStates.has(latest.state)) {
      // A version still in progress (a restart, or it changed before upload): continue with the new stamp.
      return this.queue(ledger.transition(latest.id, 'queued', { size: file.size, mtimeMs: file.mtimeMs }));
    }
    const base = { path: file.path, watchRoot: file.root.path, relPath: file.relPath, size: file.size, mtimeMs: file.mtimeMs, detectedAt: file.firstSeenAt };
    const skip = (errorCode: string, lastError: string, providerId?: string): void => void this.emit(ledger.insert({ ...base, state: 'skipped', errorCode, lastError, ...(providerId ? { providerId } : {}) }));
    if (file.symlink) return skip('symlink', 'symbolic links are not followed or offloaded');
    // FIFOs, sockets and devices are never opened: reading one can block forever or never end.
    if (file.special) return skip('not-regular-file', `is ${file.special}, not a regular file: not offloaded`);
    if (file.initial && !rootWasKnown && !file.root.offloadExisting) return skip('existing', 'was already in the folder when watching began (turn on "also offload files already there")');
    const active = this.o.storage;
    if (!active.ok) {
      if (active.local) return skip('local', 'active storage is Local (this machine)', 'local');
      const reason = `${active.reason}: the file stays local (Local fallback)`;
      if (this.localFallbackNoticed !== reason) this.notice('warning', 'local-fallback', reason);
      this.localFallbackNoticed = reason;
      return skip('provider-unusable', reason, 'local');
    }
    this.queue(ledger.insert({ ...base, state: 'queued', providerId: active.providerId }));
  }

  private queue(row: FileRecord): void {
    this.emit(row);
    this.o.enqueue(row.id);
  }

  /**
   * An offloaded file the retention policy removes right away, not pinned, and whose removal was not
   * refused before nor undone by the user (`restored`: brought back on purpose, so it stays). The
   * policy's other rules are for its own passes (src/core/retention).
   */
  private removalPending(row: FileRecord): boolean {
    if (!policyFor(this.o.liveSettings(), row.watchRoot).rightAway || this.o.ledger.pins.isPinned(row.path)) return false;
    return row.errorCode !== 'kept-local' && row.errorCode !== 'restored';
  }

  /**
   * Puts back a file an interrupted local removal had set aside, never over another file: if something
   * else now has its name, the leftover goes beside it under a "kept" name and the user is told.
   */
  private async restoreLeftover(aside: string): Promise<void> {
    const original = aside.slice(0, -REMOVING_SUFFIX.length);
    try {
      const restoredAt = await restoreNoReplace(aside, original);
      if (restoredAt !== original) this.notice('warning', 'leftover-kept', `${aside} was left by an interrupted removal and ${original} exists again: both were kept (the earlier one is ${restoredAt}).`);
    } catch (error) {
      this.notice('error', 'leftover-restore', `Could not restore ${original} from ${aside}: ${(error as Error).message}`);
    }
  }

  private emit(row: FileRecord): FileRecord {
    this.o.events.emit('fileChanged', row);
    return row;
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.o.events.emit('notice', { level, code, message });
  }
}
