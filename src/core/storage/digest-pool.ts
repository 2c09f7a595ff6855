/**
 * Hashing off the event loop (docs/PERFORMANCE.md): a few worker threads, shared by the whole process,
 * that read a file through the descriptor the engine opened and compute its digests. Hashing a big file
 * on the main thread stalled every upload in flight; here the main thread only waits for the answer.
 *
 * - The worker reads the descriptor it is given (descriptors are process-wide), never the path: the
 *   handle is what guarantees the bytes hashed are the file that was checked (local-file.ts). The caller
 *   keeps the descriptor open until the answer comes (LocalFile.withDescriptor).
 * - The worker is eval'd from the plain-JS source below, not loaded from a file: the core runs bundled
 *   by vite (the CLI), by electron-vite (the app) and as TypeScript under vitest, and a separate worker
 *   file would have a different path, or none, in each.
 * - Workers start on first use, at most one per core (up to MAX_WORKERS), and hold the process open only
 *   while they hash: an idle worker is unref'd, and ends after IDLE_MS.
 * - An abort sets a flag the worker reads before every chunk; the task settles once the worker stopped
 *   reading, so the descriptor is never closed under it.
 *
 * Self-contained on purpose (node built-ins only, erasable TypeScript): a test runs it in a child process
 * straight from source to prove an idle pool lets the process exit.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What to compute over a file's bytes, from offset 0 to its end. */
export interface DigestTask {
  /** Descriptor of an open regular file; read with positioned reads, so other readers are unaffected. */
  fd: number;
  sha256: boolean;
  wholeMd5: boolean;
  /** MD5 of every part of this many bytes (the last shorter; an empty file is one empty part); null for none. */
  partSize: number | null;
  /**
   * Keep the bytes read, reading at most this many (a small file sent from memory); 0 keeps nothing.
   * Give the expected size + 1: a file that grew then reads one byte more than expected.
   */
  keepUpTo: number;
}

export interface DigestResult {
  /** Bytes read (at most `keepUpTo` when keeping). */
  size: number;
  sha256: string | null;
  md5: Buffer | null;
  partMd5s: Buffer[];
  /** The bytes read when `keepUpTo` > 0 (`size` of them), else null. */
  bytes: Buffer | null;
}

/** Most hashing threads per process, whatever the core count: each hashes one file at a time. */
const MAX_WORKERS = 4;
/** An idle hashing thread ends after this long (the next file starts a new one, in a few ms). */
const IDLE_MS = 15_000;

interface Queued {
  task: DigestTask;
  /** The thread working on it, once assigned (an abort then raises that thread's cancel flag). */
  slot: Slot | null;
  resolve: (result: DigestResult) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  /**
   * Int32Array over a SharedArrayBuffer the thread got once at its start: it stops its task at the next
   * chunk when [0] is not 0. One per thread, reset for each task (a thread runs one task at a time).
   */
  cancel: Int32Array;
  current: Queued | null;
  idleTimer: NodeJS.Timeout | null;
}

/** What the worker answers (see WORKER_SOURCE). */
type Reply =
  | { aborted: true }
  | { error: { message: string; code?: string; errno?: number; syscall?: string } }
  | { size: number; sha256: string | null; md5: string | null; partMd5s: string[]; bytes: ArrayBuffer | null };

const fromHex = (hex: string): Buffer => Buffer.from(hex, 'hex');

/** The reason a signal was aborted with, as something to reject with. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export class DigestPool {
  private readonly size: number;
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Queued[] = [];
  private closed = false;

  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Threads running now (started and not ended): for tests. */
  get threads(): number {
    return this.slots.size;
  }

  /**
   * Reads and hashes the file behind `task.fd` in a worker thread. Rejects with the signal's reason
   * when aborted (after the worker stopped reading), with the OS error of a failed read (its code kept),
   * or when the pool is closed.
   */
  run(task: DigestTask, signal?: AbortSignal): Promise<DigestResult> {
    if (this.closed) return Promise.reject(new Error('the hashing threads were shut down: no file can be hashed after the engine closed'));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<DigestResult>((resolve, reject) => {
      const queued: Queued = {
        task,
        slot: null,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const waiting = this.queue.indexOf(queued);
          if (waiting >= 0) {
            // Not started: nothing reads the descriptor, so it can settle now.
            this.queue.splice(waiting, 1);
            reject(abortReason(signal!));
          } else {
            if (queued.slot) Atomics.store(queued.slot.cancel, 0, 1); // settles when the worker answers (promptly: one chunk)
          }
        },
      };
      signal?.addEventListener('abort', queued.onAbort, { once: true });
      this.queue.push(queued);
      this.pump();
    });
  }

  /** Ends every thread; tasks still queued or running are rejected. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the hashing threads were shut down while a file was being hashed');
    for (const queued of this.queue.splice(0)) this.settle(queued, () => queued.reject(error));
    const ending = [...this.slots].map((slot) => {
      if (slot.current) Atomics.store(slot.cancel, 0, 1);
      return this.retire(slot);
    });
    await Promise.all(ending);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.idle.pop() ?? (this.slots.size < this.size ? this.spawn() : null);
      if (!slot) return;
      this.assign(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'offload-digest', workerData: { cancel: cancel.buffer } });
    const slot: Slot = { worker, cancel, current: null, idleTimer: null };
    this.slots.add(slot);
    worker.on('message', (reply: Reply) => this.answered(slot, reply));
    // An error inside a task is answered as a message; this is the thread itself failing (out of memory).
    worker.on('error', (error) => this.lost(slot, error));
    worker.on('exit', (code) => this.lost(slot, new Error(`the hashing thread ended unexpectedly (exit code ${code}); the file will be tried again`)));
    return slot;
  }

  private assign(slot: Slot, queued: Queued): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.current = queued;
    slot.worker.ref(); // a task in flight keeps the process alive, as a file read on the main thread would
    const { fd, sha256, wholeMd5, partSize, keepUpTo } = queued.task;
    queued.slot = slot;
    Atomics.store(slot.cancel, 0, 0);
    slot.worker.postMessage({ fd, sha256, wholeMd5, partSize: partSize ?? 0, keepUpTo });
  }

  private answered(slot: Slot, reply: Reply): void {
    const queued = slot.current;
    slot.current = null;
    if (queued) {
      this.settle(queued, () => {
        if (queued.signal?.aborted) queued.reject(abortReason(queued.signal));
        else if ('aborted' in reply) queued.reject(new Error('the hashing thread stopped a file nobody aborted'));
        else if ('error' in reply) queued.reject(Object.assign(new Error(reply.error.message), reply.error));
        else
          queued.resolve({
            size: reply.size,
            sha256: reply.sha256,
            md5: reply.md5 === null ? null : fromHex(reply.md5),
            partMd5s: reply.partMd5s.map(fromHex),
            bytes: reply.bytes ? Buffer.from(reply.bytes, 0, reply.size) : null,
          });
      });
    }
    if (this.closed) return;
    const next = this.queue.shift();
    if (next) return this.assign(slot, next);
    slot.worker.unref();
    this.idle.push(slot);
    slot.idleTimer = setTimeout(() => void this.retire(slot), IDLE_MS);
    slot.idleTimer.unref();
  }

  /** The thread failed or ended by itself: its task fails (the job retries), and the next task starts a new one. */
  private lost(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) return;
    this.drop(slot);
    const queued = slot.current;
    slot.current = null;
    if (queued) this.settle(queued, () => queued.reject(queued.signal?.aborted ? abortReason(queued.signal) : error));
    if (!this.closed) this.pump();
  }

  private async retire(slot: Slot): Promise<void> {
    if (!this.slots.delete(slot)) return;
    this.drop(slot);
    await slot.worker.terminate();
    const queued = slot.current;
    slot.current = null;
    if (queued) this.settle(queued, () => queued.reject(new Error('the hashing threads were shut down while a file was being hashed')));
  }

  private drop(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
  }

  private settle(queued: Queued, how: () => void): void {
    queued.signal?.removeEventListener('abort', queued.onAbort);
    how();
  }
}

let shared: DigestPool | null = null;

/** The process's hashing threads, made on first use: one per core, at most MAX_WORKERS. */
export function digestPool(): DigestPool {
  shared ??= new DigestPool(Math.min(MAX_WORKERS, availableParallelism()));
  return shared;
}

/** Ends the process's hashing threads (the next digestPool() starts afresh). Idempotent. */
export async function closeDigestPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

/**
 * The worker, as plain CommonJS run with `eval: true`. Kept free of anything a bundler or a coverage tool
 * would rewrite (it is a string); tested through DigestPool against the main thread's hashes.
 */
const WORKER_SOURCE = String.raw`'use strict';
// Eval'd code runs as CommonJS, or as a module when the process was started with --input-type=module
// (workers inherit it): getBuiltinModule works in both, require where it is older.
const load = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule : require;
const { parentPort, workerData } = load('node:worker_threads');
const cancel = new Int32Array(workerData.cancel);
const { readSync } = load('node:fs');
const { createHash } = load('node:crypto');
const CHUNK = 1024 * 1024;
let scratch = null;

parentPort.on('message', (task) => {
  let reply;
  try {
    reply = digest(task);
  } catch (error) {
    const e = error || {};
    reply = { error: { message: String(e.message || e), code: e.code, errno: e.errno, syscall: e.syscall } };
  }
  parentPort.postMessage(reply, reply.bytes ? [reply.bytes] : []);
});

function digest(task) {
  const sha = task.sha256 ? createHash('sha256') : null;
  const md5 = task.wholeMd5 ? createHash('md5') : null;
  const partSize = task.partSize;
  const partMd5s = [];
  let part = partSize > 0 ? createHash('md5') : null;
  let inPart = 0;
  const kept = task.keepUpTo > 0 ? new ArrayBuffer(task.keepUpTo) : null;
  const keptView = kept ? new Uint8Array(kept) : null;
  let size = 0;
  for (;;) {
    if (Atomics.load(cancel, 0) !== 0) return { aborted: true };
    let target;
    let offset;
    let length;
    if (keptView) {
      if (size === keptView.length) break;
      target = keptView;
      offset = size;
      length = Math.min(CHUNK, keptView.length - size);
    } else {
      if (scratch === null) scratch = Buffer.allocUnsafeSlow(CHUNK);
      target = scratch;
      offset = 0;
      length = CHUNK;
    }
    const n = readSync(task.fd, target, offset, length, size);
    if (n === 0) break;
    const chunk = target.subarray(offset, offset + n);
    if (sha) sha.update(chunk);
    if (md5) md5.update(chunk);
    if (part) {
      let at = 0;
      while (at < n) {
        const take = Math.min(partSize - inPart, n - at);
        part.update(chunk.subarray(at, at + take));
        inPart += take;
        at += take;
        if (inPart === partSize) {
          partMd5s.push(part.digest('hex'));
          part = createHash('md5');
          inPart = 0;
        }
      }
    }
    size += n;
  }
  // Digests go back as hex: a Buffer would be cloned with the whole pool slab it was cut from.
  if (part && (inPart > 0 || partMd5s.length === 0)) partMd5s.push(part.digest('hex'));
  return { size, sha256: sha ? sha.digest('hex') : null, md5: md5 ? md5.digest('hex') : null, partMd5s, bytes: kept };
}
`;
