/**
 * Which file runs when: a FIFO queue without duplicates, a concurrency limit, pause, retry timers, and a
 * clean stop that aborts what runs and waits for it. It knows nothing of files or buckets: `run` does
 * one file and settles when the engine has recorded the outcome.
 */

export interface SchedulerOptions {
  /** How many files may run at once now (0 while offline: only the offline gate's probe runs). */
  limit: () => number;
  /** False once nothing more may start (the ledger cannot be written). */
  mayStart: () => boolean;
  /** Offloads one file; settles when its outcome is recorded. Must not reject. */
  run: (id: number, signal: AbortSignal) => Promise<void>;
  /** Called whenever the queue or the running set changed (for status events). */
  onChange: () => void;
}

export class Scheduler {
  private readonly queue: number[] = [];
  private readonly queued = new Set<number>();
  private readonly active = new Map<number, AbortController>();
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private pausedFlag = false;
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Files waiting to start (queued or on a retry timer). */
  get waiting(): number {
    return this.queue.length + this.retryTimers.size;
  }

  get running(): number {
    return this.active.size;
  }

  /** Nothing queued, waiting on a timer, or running. */
  get empty(): boolean {
    return this.queue.length === 0 && this.retryTimers.size === 0 && this.active.size === 0;
  }

  /** Queues a file unless it is queued or running already. */
  enqueue(id: number): void {
    if (this.stopped || this.queued.has(id) || this.active.has(id)) return;
    this.queued.add(id);
    this.queue.push(id);
    this.o.onChange();
    this.pump();
  }

  /** Queues the file again after `delayMs`. */
  retryAfter(id: number, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(id);
      this.enqueue(id);
    }, delayMs);
    this.retryTimers.set(id, timer);
  }

  /** Starts one file now, past the limit (the offline gate's probe). */
  runNow(id: number): void {
    if (this.stopped || this.active.has(id)) return;
    this.start(id);
  }

  pause(): void {
    this.pausedFlag = true;
    this.o.onChange();
  }

  resume(): void {
    this.pausedFlag = false;
    this.o.onChange();
    this.pump();
  }

  /** Starts queued files while the limit allows. */
  pump(): void {
    while (!this.pausedFlag && !this.stopped && this.o.mayStart() && this.active.size < this.o.limit() && this.queue.length > 0) this.start(this.queue.shift()!);
  }

  /** Aborts running files, drops queued ones and timers, and waits for the running ones to end. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.queue.splice(0);
    this.queued.clear();
    for (const controller of this.active.values()) controller.abort();
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private start(id: number): void {
    this.queued.delete(id);
    const at = this.queue.indexOf(id);
    if (at >= 0) this.queue.splice(at, 1);
    const controller = new AbortController();
    this.active.set(id, controller);
    this.o.onChange();
    void this.o.run(id, controller.signal).finally(() => {
      this.active.delete(id);
      this.o.onChange();
      this.pump();
    });
  }
}
