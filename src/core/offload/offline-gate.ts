/**
 * The offline state: while the bucket cannot be reached, files are held (no attempt spent) and one file
 * at a time probes the bucket on a backoff timer (doubled after each failed probe, up to a minute). The
 * first answer of any kind releases every held file. A long outage is one offline state, not a storm.
 */

export interface OfflineGateOptions {
  /** The first probe's delay. */
  baseDelayMs: number;
  /** True when a probe may start now (not paused, nothing else running). */
  mayProbe: () => boolean;
  /** Runs one held file as the probe. */
  probe: (id: number) => void;
}

/** The longest wait between two probes. */
export const MAX_PROBE_DELAY_MS = 60_000;

export class OfflineGate {
  private state: { delayMs: number; held: number[]; timer: NodeJS.Timeout | null; probing: number | null } | null = null;

  constructor(private readonly o: OfflineGateOptions) {}

  get offline(): boolean {
    return this.state !== null;
  }

  /** Files held back until the bucket answers. */
  get held(): number {
    return this.state?.held.length ?? 0;
  }

  /** The delay before the next probe (for tests and status). */
  get delayMs(): number | null {
    return this.state?.delayMs ?? null;
  }

  /**
   * Holds a file whose attempt found the bucket unreachable. Returns true when this begins the offline
   * state (the caller says so once). A failed probe doubles the delay before the next one.
   */
  hold(id: number): boolean {
    const first = this.state === null;
    this.state ??= { delayMs: this.o.baseDelayMs, held: [], timer: null, probing: null };
    const state = this.state;
    if (!first && state.probing === id) state.delayMs = Math.min(MAX_PROBE_DELAY_MS, state.delayMs * 2);
    state.probing = null;
    state.held.push(id);
    state.timer ??= setTimeout(() => this.probeNext(), state.delayMs);
    return first;
  }

  /** The bucket answered: ends the offline state and returns the held files (empty when not offline). */
  answered(): number[] {
    const state = this.state;
    if (!state) return [];
    this.state = null;
    if (state.timer) clearTimeout(state.timer);
    return state.held;
  }

  /** Idempotent. */
  stop(): void {
    if (this.state?.timer) clearTimeout(this.state.timer);
    this.state = null;
  }

  private probeNext(): void {
    const state = this.state;
    if (!state) return;
    state.timer = null;
    if (state.held.length === 0) return;
    if (!this.o.mayProbe()) {
      state.timer = setTimeout(() => this.probeNext(), state.delayMs);
      return;
    }
    const id = state.held.shift()!;
    state.probing = id;
    this.o.probe(id);
  }
}
