/**
 * The queue facet (IPC group `queue`): pause, resume, retry — and the holds that pause uploads while a
 * condition lasts (on battery, a metered network). The user's pause is a setting, so it survives
 * restarts, settings changes, storage switches, and reaches a running `offload watch` or app through the
 * settings file; a hold lives as long as its condition, in this process only.
 */
import type { PauseReason } from '../../shared/events';
import type { FileRecord } from '../../shared/ledger';
import { ServiceError } from '../service-error';
import type { ServiceContext } from './context';

/** A pause that ends by itself when its condition does. */
export type HoldReason = Exclude<PauseReason, 'user'>;

export class QueueFacet {
  private readonly holds = new Set<HoldReason>();

  constructor(private readonly ctx: ServiceContext) {}

  /** Why uploads are held now; empty when they run. */
  pauseReasons(): PauseReason[] {
    return [...(this.ctx.settings.current.paused ? (['user'] as const) : []), ...this.holds];
  }

  /** The user's pause: saved in the settings, so it sticks. */
  async pause(): Promise<void> {
    if (!this.ctx.settings.current.paused) await this.ctx.change((draft) => void (draft.paused = true), () => false);
    this.ctx.engine()?.applyPause();
  }

  async resume(): Promise<void> {
    if (this.ctx.settings.current.paused) await this.ctx.change((draft) => void (draft.paused = false), () => false);
    this.ctx.engine()?.applyPause();
  }

  /** Holds uploads while `active` (on battery, a metered network), and releases the hold when not. */
  hold(reason: HoldReason, active: boolean): void {
    if (active === this.holds.has(reason)) return;
    if (active) this.holds.add(reason);
    else this.holds.delete(reason);
    this.ctx.engine()?.applyPause();
  }

  /**
   * Puts a failed, conflicting or vanished file back in the queue. With no engine running here (the
   * `offload` command), the row is marked `queued` with its attempts reset, as the one offloader: the next
   * start offers it again. False when the row cannot be retried.
   */
  retry(id: number): boolean {
    return this.retryIds([id]).length === 1;
  }

  /**
   * Every failed file (its newest version, in a watch folder) whose provider can still take it: queued
   * again with fresh attempts. One queued for a provider since removed or retired is left as it is.
   */
  retryFailed(): FileRecord[] {
    const roots = new Set(this.ctx.settings.current.watchFolders.map((f) => f.path));
    const rows = this.ctx.ledger.latestInStates(['failed']).filter((r) => roots.has(r.watchRoot) && retryable(r) && this.uploadable(r) === null);
    return this.retryIds(rows.map((r) => r.id));
  }

  /**
   * The newest versions of these paths, each failed or in conflict, queued again with fresh attempts.
   * Throws ServiceError naming the first path that is not in the log (`not-tracked`) or cannot be
   * retried (`not-retryable`), before changing anything.
   */
  retryPaths(paths: readonly string[]): FileRecord[] {
    const rows = paths.map((path) => {
      const row = this.ctx.ledger.latestForPath(path);
      if (!row) throw new ServiceError('not-tracked', `${path} is not in the offload log`, 'Name a file inside a watch folder that was offloaded or failed (see offload ls).');
      if (!retryable(row)) {
        throw new ServiceError('not-retryable', `${path} is ${row.state}: only failed files and conflicts can be retried`, 'Run offload ls to see each file\'s state; offload retry --failed retries every failed file.');
      }
      const why = this.uploadable(row);
      if (why) throw new ServiceError('not-retryable', `${path}: ${why}`, 'Make another provider the default storage; the file is offloaded there when it changes.');
      return row;
    });
    return this.retryIds(rows.map((r) => r.id));
  }

  /** Why a row's provider can take no upload now (gone, or retired: settings.ts `retired`), or null. */
  private uploadable(row: FileRecord): string | null {
    const provider = this.ctx.settings.current.providers.find((p) => p.id === row.providerId);
    if (!provider) return `it was queued for provider "${row.providerId}", which is no longer configured`;
    return provider.retired ? `it was queued for provider "${row.providerId}", which is retired and takes no new uploads` : null;
  }

  /** Queues these rows again: through the running engine, else marked for the next start (as the one offloader). */
  private retryIds(ids: readonly number[]): FileRecord[] {
    const engine = this.ctx.engine();
    const retried = engine ? ids.filter((id) => engine.retry(id)) : this.ctx.asOffloader(() => ids.filter((id) => this.requeue(id)));
    return retried.map((id) => this.ctx.ledger.get(id)!);
  }

  /** Marks a retryable row queued for the next start (no engine runs here). */
  private requeue(id: number): boolean {
    const row = this.ctx.ledger.get(id);
    if (!row || !retryable(row)) return false;
    this.ctx.events.emit('fileChanged', this.ctx.ledger.transition(id, 'queued', { attempts: 0, lastError: null, errorCode: null }, 'retry'));
    return true;
  }
}

/** Failed or in conflict, and stored for a provider (a file kept on Local has nothing to retry). */
function retryable(row: FileRecord): boolean {
  return (row.state === 'failed' || row.state === 'conflict') && row.providerId !== null && row.providerId !== 'local';
}
