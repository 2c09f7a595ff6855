import type { ServiceContext } from './context';

/** The queue facet (IPC group `queue`): pause, resume, retry. */
export class QueueFacet {
  constructor(private readonly ctx: ServiceContext) {}

  pause(): void {
    this.ctx.engine()?.pause();
  }

  resume(): void {
    this.ctx.engine()?.resume();
  }

  /** Puts a failed, conflicting or vanished file back in the queue; false when the engine is not running. */
  retry(id: number): boolean {
    return this.ctx.engine()?.retry(id) ?? false;
  }
}
