/**
 * The background thumbnail queue (src/core/media/background-thumbnails.ts) on real temp files: the local
 * copy is opened when the file is offered, so it is still read after a removal right after; at most
 * `maxOpen` are held; one is made at a time, in arrival order; the same content is queued once; the
 * window can take a waiting file's handle; nothing is made while uploads run; stop() forgets the queue.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundThumbnails } from '../../src/core/media/background-thumbnails';
import type { FileRecord } from '../../src/shared/ledger';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'offload-background-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A file in the temp folder and the ledger row of its offload (its content stands in for its hash). */
async function offloaded(name: string, content: string): Promise<FileRecord> {
  const path = join(root, name);
  await writeFile(path, content);
  const s = await stat(path);
  return { id: 1, path, watchRoot: root, relPath: name, size: s.size, mtimeMs: s.mtimeMs, sha256: content.repeat(64).slice(0, 64), state: 'verifying' } as FileRecord;
}

/** A queue whose make() records what it was given, one finished make per `next()`. */
function recordingQueue(maxOpen: number, mayRun?: () => boolean) {
  const made: { name: string; content: string | null }[] = [];
  let running = 0;
  let most = 0;
  let release: () => void = () => undefined;
  let gate = new Promise<void>((r) => (release = r));
  const queue = new BackgroundThumbnails({
    maxOpen,
    ...(mayRun ? { mayRun, recheckMs: 1 } : {}),
    make: async (row, handle: FileHandle | null) => {
      most = Math.max(most, ++running);
      made.push({ name: row.relPath, content: handle ? (await handle.readFile()).toString() : null });
      await handle?.close();
      await gate;
      running--;
    },
  });
  return {
    queue,
    made,
    most: () => most,
    /** Lets every make() waiting on the gate finish. */
    open() {
      release();
      gate = Promise.resolve();
    },
  };
}

const settled = async (check: () => boolean): Promise<void> => {
  // The queue's work is in this process, but its file reads go through libuv's thread pool, which a busy
  // machine can keep waiting: poll, bounded at 10 s (a bound for a hang, not a timing the test asserts).
  for (const until = Date.now() + 10_000; !check() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 5));
};

describe('background thumbnails', () => {
  it('holds at most maxOpen handles, makes one at a time in order, and reads a removed file through its handle', async () => {
    const r = recordingQueue(1);
    await r.queue.offer(await offloaded('first.png', 'f')); // its make() now waits on the gate
    await settled(() => r.made.length === 1);
    const a = await offloaded('a.png', 'a');
    const b = await offloaded('b.png', 'b');
    const c = await offloaded('c.png', 'c');
    expect(await r.queue.offer(a)).toBe(true);
    // Removed right after its offload: the handle taken at the offer still reads it.
    await rm(a.path);
    // The one handle is held by a: b and c wait without one; b's content again is queued once.
    expect(await Promise.all([r.queue.offer(b), r.queue.offer(c), r.queue.offer({ ...b, id: 2 })])).toEqual([false, false, false]);
    expect(r.queue.size).toBe(3);
    r.open();
    await settled(() => r.made.length === 4);
    // b and c are read by make() from their path when their turn comes (null: no handle given).
    expect(r.made).toEqual([
      { name: 'first.png', content: 'f' },
      { name: 'a.png', content: 'a' },
      { name: 'b.png', content: null },
      { name: 'c.png', content: null },
    ]);
    expect(r.most()).toBe(1);
    await r.queue.stop();
  });

  it('gives a waiting file\'s handle to whoever needs it now, and stop() forgets the rest', async () => {
    const r = recordingQueue(4);
    const first = await offloaded('first.png', 'f');
    const wanted = await offloaded('wanted.png', 'w');
    const later = await offloaded('later.png', 'l');
    await r.queue.offer(first); // its make() now waits on the gate
    await settled(() => r.made.length === 1);
    expect(await r.queue.offer(wanted)).toBe(true);
    await r.queue.offer(later);
    const taken = await r.queue.take(wanted.sha256!);
    expect((await taken!.readFile()).toString()).toBe('w');
    await taken!.close();
    expect(r.queue.take(wanted.sha256!)).toBeNull(); // taken once
    const stopping = r.queue.stop();
    expect(r.queue.size).toBe(0);
    r.open();
    await stopping;
    expect(r.made.map((m) => m.name)).toEqual(['first.png']);
    expect(await r.queue.offer(await offloaded('after.png', 'x'))).toBe(false); // stopped: nothing more is queued
  });

  it('makes nothing while uploads run or wait, and starts in the gap after them', async () => {
    let uploading = true;
    let asked = 0;
    const r = recordingQueue(4, () => {
      asked++;
      return !uploading;
    });
    r.open();
    expect(await r.queue.offer(await offloaded('held.png', 'h'))).toBe(true);
    // Polled in turns of the event loop and short timers, bounded by count, not by a deadline.
    for (let i = 0; i < 200 && asked < 3; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(asked).toBeGreaterThanOrEqual(3); // it looked, more than once
    expect(r.made).toEqual([]);
    uploading = false;
    for (let i = 0; i < 200 && r.made.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(r.made).toEqual([{ name: 'held.png', content: 'h' }]);
    await r.queue.stop();
  });
});
