/**
 * Reused part buffers (storage/part-buffers.ts): a buffer comes back only when no socket can hold it,
 * memory stays within the budget whatever is in flight, and kept buffers are let go when uploads stop.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterEach, expect, it, vi } from 'vitest';
import { PartBuffers, partBuffers } from '../../src/core/storage/part-buffers';
import { S3ObjectStore } from '../../src/core/storage/s3-object-store';

const MiB = 1024 * 1024;

afterEach(() => {
  vi.useRealTimers();
});

it('lends a buffer given back to the next part instead of allocating another', () => {
  const pool = new PartBuffers(64 * MiB, 30_000);
  const first = pool.take(8 * MiB)!;
  pool.give(first);
  expect(pool.take(8 * MiB)).toBe(first);
  // The last part of a file is shorter: the same buffer serves it.
  pool.give(first);
  expect(pool.take(3 * MiB)).toBe(first);
});

it('never lends again a buffer a failed request may still hold', () => {
  const pool = new PartBuffers(64 * MiB, 30_000);
  const held = pool.take(8 * MiB)!;
  pool.drop(held);
  expect(pool.usage).toEqual({ lentBytes: 0, keptBytes: 0 });
  expect(pool.take(8 * MiB) === held).toBe(false); // identity: a deep comparison of 8 MiB is slow
});

it('answers null past its budget, so the caller streams from the file and memory does not grow', () => {
  const pool = new PartBuffers(24 * MiB, 30_000);
  const lent = [pool.take(8 * MiB), pool.take(8 * MiB), pool.take(8 * MiB)];
  expect(lent.every((b) => b !== null)).toBe(true);
  expect(pool.take(8 * MiB)).toBeNull();
  expect(pool.take(32 * MiB)).toBeNull();
  pool.give(lent[0]!);
  expect(pool.take(8 * MiB)).toBe(lent[0]);
  expect(pool.usage.lentBytes).toBe(24 * MiB);
});

it('lets kept buffers too small for a larger part go to make room for one that fits', () => {
  const pool = new PartBuffers(16 * MiB, 30_000);
  const small = [pool.take(8 * MiB)!, pool.take(8 * MiB)!];
  small.forEach((b) => pool.give(b));
  const large = pool.take(16 * MiB);
  expect(large?.length).toBe(16 * MiB);
  expect(pool.usage).toEqual({ lentBytes: 16 * MiB, keptBytes: 0 });
});

it('lets every kept buffer go once no part was taken for the idle time', () => {
  vi.useFakeTimers();
  const pool = new PartBuffers(64 * MiB, 30_000);
  pool.give(pool.take(8 * MiB)!);
  vi.advanceTimersByTime(29_000);
  expect(pool.usage.keptBytes).toBe(8 * MiB);
  vi.advanceTimersByTime(1_000);
  expect(pool.usage).toEqual({ lentBytes: 0, keptBytes: 0 });
});

it('refuses a part the file can no longer fill, names why, sends nothing, and takes the buffer back', async () => {
  const sends: unknown[] = [];
  // A client that records what it is asked to send: nothing may reach it.
  const client = { send: (command: unknown) => (sends.push(command), Promise.reject(new Error('not expected'))) } as unknown as S3Client;
  const store = new S3ObjectStore(client, 'bucket');
  const before = partBuffers().usage.lentBytes;
  const shrunk = { stream: () => Readable.from([]), readAt: async () => 10 };
  const upload = store.upload({
    key: 'renders/take.mov',
    source: shrunk,
    digest: { size: 100, sha256: 'a'.repeat(64), md5: Buffer.alloc(16), partMd5s: [], partSize: null },
    contentType: 'video/quicktime',
    metadata: {},
    ifNoneMatch: true,
    concurrency: 1,
    signal: new AbortController().signal,
  });
  await expect(upload).rejects.toThrow('renders/take.mov: only 10 of the 100 bytes at 0 could be read: the file became shorter after it was hashed');
  expect(sends).toEqual([]);
  expect(partBuffers().usage.lentBytes).toBe(before);
});
