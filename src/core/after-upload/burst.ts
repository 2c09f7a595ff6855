/**
 * Groups files that finish close together into one burst, so a render farm's forty frames give one
 * clipboard write and one notification, not forty. A burst ends when no file has joined for `quietMs`
 * (2 s: "files finishing within 2 s of each other"), or `maxMs` after it began, so a steady stream still
 * delivers its links now and then. The timer comes in, so the grouping is tested without waiting.
 */

/** Starts a timer; returns its cancel. */
export type Schedule = (run: () => void, ms: number) => () => void;

export const realSchedule: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  timer.unref?.();
  return () => clearTimeout(timer);
};

export interface BurstOptions<T> {
  /** Called once per burst with its items, in the order they joined. */
  deliver(items: T[]): void;
  quietMs?: number;
  maxMs?: number;
  /** A burst this large is delivered at once. */
  maxItems?: number;
  schedule?: Schedule;
  now?: () => number;
}

export class BurstCollector<T> {
  private items: T[] = [];
  private startedAt = 0;
  private cancel: (() => void) | null = null;
  private readonly quietMs: number;
  private readonly maxMs: number;
  private readonly maxItems: number;
  private readonly schedule: Schedule;
  private readonly now: () => number;

  constructor(private readonly options: BurstOptions<T>) {
    this.quietMs = options.quietMs ?? 2_000;
    this.maxMs = options.maxMs ?? 10_000;
    this.maxItems = options.maxItems ?? 500;
    this.schedule = options.schedule ?? realSchedule;
    this.now = options.now ?? Date.now;
  }

  /** Adds a finished file to the open burst (opening one when none is). */
  add(item: T): void {
    if (this.items.length === 0) this.startedAt = this.now();
    this.items.push(item);
    this.cancel?.();
    if (this.items.length >= this.maxItems) return this.flush();
    const wait = Math.max(0, Math.min(this.quietMs, this.startedAt + this.maxMs - this.now()));
    this.cancel = this.schedule(() => this.flush(), wait);
  }

  /** Delivers the open burst now (also on stop); nothing when none is open. Idempotent. */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    const items = this.items;
    this.items = [];
    if (items.length) this.options.deliver(items);
  }

  get pending(): number {
    return this.items.length;
  }
}
