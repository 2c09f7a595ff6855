/**
 * A move's progress (move-run.ts): files and bytes planned, done and failed, the bytes of files being
 * copied, and the phase; the rate and time left derived from them when asked. Tells its listener at most
 * every PROGRESS_EVERY_MS while bytes flow, and at once when a file ends or the phase changes.
 */
import type { MoveFileResult, MovePhase, MoveProgress } from '../../shared/move';

/** How often progress is announced at most while bytes flow. */
const PROGRESS_EVERY_MS = 250;

export class MoveTally {
  phase: MovePhase = 'running';
  private readonly startedAt = Date.now();
  private readonly files = { total: 0, done: 0, failed: 0 };
  private readonly bytes = { total: 0, done: 0 };
  private readonly failures: { path: string; message: string }[] = [];
  /** Bytes sent so far of each file being copied. */
  private readonly inFlight = new Map<number, number>();
  private lastAnnounced = 0;

  constructor(
    private readonly request: { from: string; to: string; deleteSource: boolean },
    private readonly onProgress: (progress: MoveProgress) => void,
  ) {}

  /** Files (and their bytes) the run is to take; a source copy left to delete counts as a file of 0 bytes. */
  plan(files: number, bytes: number): void {
    this.files.total += files;
    this.bytes.total += bytes;
  }

  /** A planned file that is no longer to be moved (restored, moved or forgotten since the plan). */
  unplan(bytes: number): void {
    this.files.total--;
    this.bytes.total -= bytes;
  }

  /** Bytes of file `id` written to the target so far (0 when an attempt starts over). */
  sent(id: number, bytes: number): void {
    this.inFlight.set(id, bytes);
    this.announce(false);
  }

  /** File `id` is no longer being copied (its result, if any, comes through `record`). */
  leave(id: number): void {
    this.inFlight.delete(id);
  }

  record(result: MoveFileResult): void {
    if (result.outcome === 'failed') {
      this.files.failed++;
      this.failures.push({ path: result.path, message: result.message ?? 'not moved' });
    } else {
      this.files.done++;
      this.bytes.done += result.size;
    }
    this.announce(true);
  }

  setPhase(phase: MovePhase): void {
    this.phase = phase;
    this.announce(true);
  }

  /** Where the move stands now, bytes of the files being copied included, with the rate and time left. */
  snapshot(): MoveProgress {
    const moving = [...this.inFlight.values()].reduce((a, b) => a + b, 0);
    const done = this.bytes.done + moving;
    const seconds = (Date.now() - this.startedAt) / 1000;
    const bytesPerSecond = seconds > 0 ? Math.round(done / seconds) : 0;
    const ended = this.phase === 'finished' || this.phase === 'cancelled';
    const secondsLeft = ended ? 0 : bytesPerSecond > 0 ? Math.ceil(Math.max(0, this.bytes.total - done) / bytesPerSecond) : null;
    const { from, to, deleteSource } = this.request;
    return { from, to, deleteSource, phase: this.phase, files: { ...this.files }, bytes: { done, total: this.bytes.total }, bytesPerSecond, secondsLeft, startedAt: this.startedAt, failures: [...this.failures] };
  }

  /** Tells the listener (at most every PROGRESS_EVERY_MS unless `now`). */
  announce(now: boolean): void {
    const at = Date.now();
    if (!now && at - this.lastAnnounced < PROGRESS_EVERY_MS) return;
    this.lastAnnounced = at;
    this.onProgress(this.snapshot());
  }
}
