/**
 * The queue facet (IPC group `queue`): pause, resume, retry — and the holds that pause uploads while a
 * condition lasts (on battery, a metered network). The user's pause is a setting, so it survives
 * restarts, settings changes, storage switches, and reaches a running `offload watch` or app through the
 * settings file; a hold lives as long as its condition, in this process only.
 */
import type { PauseReason } from '../../shared/events';
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

  /** Puts a failed, conflicting or vanished file back in the queue; false when the engine is not running. */
  retry(id: number): boolean {
    return this.ctx.engine()?.retry(id) ?? false;
  }
}
