/**
 * Buffers for the parts (and single PUTs) read from a local file, reused from one part to the next.
 *
 * Why: reading a part through a file stream allocated a fresh 1 MiB buffer per chunk. That memory lives
 * outside V8's heap, and its churn made V8 run full collections: about a tenth of a big upload's main
 * thread and some 15 % of its CPU per GB (docs/PERFORMANCE.md, "Third round").
 *
 * Bounded: the buffers lent and kept together hold at most `budgetBytes`; past that, take() answers null
 * and the caller streams from the file as before, so memory does not grow with files or parts in flight.
 * Kept buffers are let go after `idleMs` without a take, so a watch that went quiet does not hold them.
 */
export class PartBuffers {
  private readonly kept: Buffer[] = [];
  private lentBytes = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly budgetBytes: number,
    private readonly idleMs: number,
  ) {}

  /** A buffer of at least `size` bytes, or null when the budget is spent (then stream from the file). */
  take(size: number): Buffer | null {
    this.disarmIdle();
    const fits = this.kept.filter((b) => b.length >= size).sort((a, b) => a.length - b.length)[0];
    let buffer: Buffer;
    if (fits) {
      this.kept.splice(this.kept.indexOf(fits), 1);
      buffer = fits;
    } else {
      // Kept buffers too small for this size make room for one that fits.
      while (this.kept.length > 0 && this.lentBytes + this.keptBytes + size > this.budgetBytes) this.kept.pop();
      if (this.lentBytes + this.keptBytes + size > this.budgetBytes) return null;
      buffer = Buffer.allocUnsafeSlow(size);
    }
    this.lentBytes += buffer.length;
    return buffer;
  }

  /** Takes back a buffer that no socket holds: its request was answered, or it was never sent. */
  give(buffer: Buffer): void {
    this.lentBytes -= buffer.length;
    this.kept.push(buffer);
    this.armIdle();
  }

  /**
   * Forgets a buffer a failed request may still hold (a write queued on its socket): it is never lent
   * again, so no other part's bytes can be written into it while it might still be sent.
   */
  drop(buffer: Buffer): void {
    this.lentBytes -= buffer.length;
  }

  /** Bytes lent and kept: for tests. */
  get usage(): { lentBytes: number; keptBytes: number } {
    return { lentBytes: this.lentBytes, keptBytes: this.keptBytes };
  }

  private get keptBytes(): number {
    return this.kept.reduce((sum, b) => sum + b.length, 0);
  }

  private armIdle(): void {
    this.disarmIdle();
    this.idleTimer = setTimeout(() => this.kept.splice(0), this.idleMs);
    this.idleTimer.unref();
  }

  private disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** Part buffers per process: 64 MiB is eight parts of the default 8 MiB (two files' four parts each). */
const PART_BUFFER_BUDGET_BYTES = 64 * 1024 * 1024;
const PART_BUFFER_IDLE_MS = 30_000;

let shared: PartBuffers | null = null;

export function partBuffers(): PartBuffers {
  shared ??= new PartBuffers(PART_BUFFER_BUDGET_BYTES, PART_BUFFER_IDLE_MS);
  return shared;
}
