/**
 * Thumbnails made in the background as files are offloaded, off the upload's path. When a file reaches
 * `verifying` (its hash is known, its local copy not yet removed) its local copy is opened at once — the
 * handle outlives a removal that follows the offload — and the file waits its turn. Its turn comes when
 * no upload is running or waiting to run (`mayRun`): decoding competes with uploads for the CPU (on two
 * cores, making thumbnails during a burst slowed it by a fifth — docs/PERFORMANCE.md), so it waits for
 * the gap after the burst. One is made at a time.
 *
 * Open handles are capped: past the cap a file waits without one and is read from its path when its turn
 * comes, or, if it is gone by then, from the bucket when it is first shown. Stopping closes every handle
 * and forgets the queue; nothing here is needed for correctness, only to save a download later.
 */
import type { FileHandle } from 'node:fs/promises';
import type { FileRecord } from '../../shared/ledger';
import { openLocalCopy } from './media-source';

export interface BackgroundOptions {
  /** Local files held open while they wait. */
  maxOpen: number;
  /** Makes the thumbnail of `row`, from `handle` when one was opened (the callee owns it). */
  make(row: FileRecord, handle: FileHandle | null): Promise<void>;
  /** False while uploads run or wait to run: thumbnails wait (asked again every `recheckMs`). */
  mayRun?: () => boolean;
  recheckMs?: number;
}

interface Waiting {
  row: FileRecord;
  handle: Promise<FileHandle | null> | null;
}

export class BackgroundThumbnails {
  /** By content hash, in arrival order: a second file with the same content adds nothing. */
  private readonly waiting = new Map<string, Waiting>();
  private held = 0;
  private current: Promise<void> | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly o: BackgroundOptions) {}

  /**
   * Queues `row` (which has its hash), opening its local copy now if the cap allows. Resolves once the
   * open is done: true when a handle is held for it (the caller need not wait; tests do).
   */
  offer(row: FileRecord): Promise<boolean> {
    const sha256 = row.sha256;
    if (this.stopped || !sha256 || this.waiting.has(sha256)) return Promise.resolve(false);
    const hold = this.held < this.o.maxOpen;
    if (hold) this.held++;
    const handle = hold ? openLocalCopy(row) : null;
    this.waiting.set(sha256, { row, handle });
    this.pump();
    return handle ? handle.then((h) => h !== null) : Promise.resolve(false);
  }

  /**
   * Takes a waiting file out of the queue for someone who needs it now (the window asked for it): its
   * handle, now the caller's to close, or null when it waits without one or is not waiting.
   */
  take(sha256: string): Promise<FileHandle | null> | null {
    const entry = this.waiting.get(sha256);
    if (!entry) return null;
    this.waiting.delete(sha256);
    return this.release(entry);
  }

  /** Files waiting now (for tests and the status). */
  get size(): number {
    return this.waiting.size;
  }

  /** Closes every held handle and forgets the queue; waits for the one being made. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = null;
    const entries = [...this.waiting.values()];
    this.waiting.clear();
    await Promise.all(entries.map(async (entry) => (await this.release(entry))?.close().catch(() => undefined)));
    await this.current;
  }

  /** The entry's handle, no longer counted against the cap. */
  private release(entry: Waiting): Promise<FileHandle | null> | null {
    if (!entry.handle) return null;
    this.held--;
    return entry.handle;
  }

  private pump(): void {
    if (this.current || this.recheck || this.stopped || this.waiting.size === 0) return;
    if (this.o.mayRun && !this.o.mayRun()) {
      // Uploads first: look again shortly. Unref'd, so a waiting thumbnail never keeps a process alive.
      this.recheck = setTimeout(() => {
        this.recheck = null;
        this.pump();
      }, this.o.recheckMs ?? 250);
      this.recheck.unref();
      return;
    }
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [sha256] = next.value;
    this.current = (async () => {
      // Yield first: the upload that just reached `verifying` goes on before any thumbnail work.
      await new Promise((resolve) => setImmediate(resolve));
      const entry = this.waiting.get(sha256);
      if (!entry || this.stopped) return;
      this.waiting.delete(sha256);
      const handle = await this.release(entry);
      if (this.stopped) return void (await handle?.close().catch(() => undefined));
      await this.o.make(entry.row, handle).catch(() => undefined); // make() reports its own failures
    })().finally(() => {
      this.current = null;
      this.pump();
    });
  }
}
