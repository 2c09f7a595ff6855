/**
 * Hashing in worker threads (src/core/storage/digest-pool.ts, file-digest.ts): the threads read the
 * descriptor the engine opened and give exactly the main thread's digests; an abort stops them within a
 * chunk; the file's handle is not closed under them; an idle pool never keeps a process alive.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DigestPool, digestPool } from '../../src/core/storage/digest-pool';
import { digestFile, INLINE_DIGEST_MAX_BYTES, readAndDigest } from '../../src/core/storage/file-digest';
import { LocalFile } from '../../src/core/storage/local-file';

const MiB = 1024 * 1024;
const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'digest-pool-'));
  await mkdir(join(root, 'watch'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A file in the watch folder, opened as the engine opens it. */
async function opened(name: string, data?: Buffer): Promise<{ path: string; file: LocalFile }> {
  const path = join(root, 'watch', name);
  if (data) await writeFile(path, data);
  const { size, mtimeMs } = await stat(path);
  return { path, file: await LocalFile.open(path, join(root, 'watch'), { size, mtimeMs }) };
}

/** A sparse file: hashing it takes CPU time (about a second per GiB here) but no disk. */
async function sparse(name: string, bytes: number): Promise<{ path: string; file: LocalFile }> {
  const path = join(root, 'watch', name);
  await writeFile(path, '');
  await truncate(path, bytes);
  return opened(name);
}

describe('digests in hashing threads', () => {
  it('gives exactly the digests of a read on the main thread, for any size and part size', async () => {
    const cases: [number, number | null][] = [
      [0, null],
      [0, 2 * MiB],
      [1, null],
      [5 * MiB + 123, 2 * MiB],
      [4 * MiB, 2 * MiB],
      [3 * MiB + 7, null],
    ];
    for (const [size, partSize] of cases) {
      const { path, file } = await opened(`f-${size}-${partSize}.bin`, randomBytes(size));
      try {
        const inThread = await digestFile(file, partSize);
        const onMain = await digestFile(path, partSize);
        expect(inThread, `${size} bytes in parts of ${partSize}`).toEqual(onMain);
      } finally {
        await file.close();
      }
    }
  });

  it('leaves out the whole-file MD5 of a file sent in parts when asked, and only then', async () => {
    const data = randomBytes(5 * MiB);
    const { file } = await opened('parts.bin', data);
    try {
      const without = await digestFile(file, 2 * MiB, undefined, { multipartMd5: false });
      expect(without.md5).toBeNull();
      expect(without.partMd5s).toEqual([md5(data.subarray(0, 2 * MiB)), md5(data.subarray(2 * MiB, 4 * MiB)), md5(data.subarray(4 * MiB))]);
      expect(without.sha256).toBe(createHash('sha256').update(data).digest('hex'));
      // A single PUT sends it as Content-MD5: always computed.
      expect((await digestFile(file, null, undefined, { multipartMd5: false })).md5).toEqual(md5(data));
    } finally {
      await file.close();
    }
  });

  // Up to INLINE_DIGEST_MAX_BYTES on the main thread, above it in a hashing thread: both paths alike.
  it.each([
    ['on the main thread', 64 * 1024],
    ['in a hashing thread', INLINE_DIGEST_MAX_BYTES + 1],
  ])('reads a small file into memory once %s: the bytes sent are the bytes hashed', async (where, size) => {
    const data = randomBytes(size);
    const { file } = await opened('small.png', data);
    const toThreads = vi.spyOn(digestPool(), 'run');
    try {
      const { digest, bytes } = await readAndDigest(file, data.length);
      expect(toThreads).toHaveBeenCalledTimes(where === 'in a hashing thread' ? 1 : 0);
      expect(bytes.equals(data)).toBe(true);
      expect(digest).toEqual({ size: data.length, sha256: createHash('sha256').update(data).digest('hex'), md5: md5(data), partMd5s: [], partSize: null });
    } finally {
      toThreads.mockRestore();
      await file.close();
    }
  });

  it.each([
    ['on the main thread', 1000],
    ['in a hashing thread', INLINE_DIGEST_MAX_BYTES + 1],
  ])('reads one byte more than expected from a file that grew %s, so the size check refuses it', async (_where, size) => {
    const { path, file } = await opened('grown.png', randomBytes(size));
    try {
      await appendFile(path, 'more');
      const { digest, bytes } = await readAndDigest(file, size);
      expect(digest.size).toBe(size + 1);
      expect(bytes.length).toBe(size + 1);
    } finally {
      await file.close();
    }
  });

  it('reads a file that shrank to what is there, so the size check refuses it', async () => {
    const { path, file } = await opened('shrunk.png', randomBytes(1000));
    try {
      await truncate(path, 600);
      const { digest, bytes } = await readAndDigest(file, 1000);
      expect(digest.size).toBe(600);
      expect(bytes.length).toBe(600);
    } finally {
      await file.close();
    }
  });

  it('stops hashing promptly when aborted, and the pool goes on hashing other files', async () => {
    const pool = new DigestPool(1);
    const { file } = await sparse('huge.bin', 4 * 1024 * MiB);
    try {
      const controller = new AbortController();
      const started = Date.now();
      const hashing = file.withDescriptor((fd) => pool.run({ fd, sha256: true, wholeMd5: true, partSize: null, keepUpTo: 0 }, controller.signal));
      setTimeout(() => controller.abort(), 50);
      await expect(hashing).rejects.toMatchObject({ name: 'AbortError' });
      // Hashing all 4 GiB takes several seconds; the thread stops at its next 1 MiB chunk.
      expect(Date.now() - started).toBeLessThan(1500);
      const data = randomBytes(3000);
      const { file: next } = await opened('next.bin', data);
      try {
        const digest = await next.withDescriptor((fd) => pool.run({ fd, sha256: true, wholeMd5: false, partSize: null, keepUpTo: 0 }));
        expect(digest.sha256).toBe(createHash('sha256').update(data).digest('hex'));
        expect(pool.threads).toBe(1); // the same thread, not a replacement
      } finally {
        await next.close();
      }
    } finally {
      await file.close();
      await pool.close();
    }
  });

  it('rejects a file queued behind a busy thread at once when aborted', async () => {
    const pool = new DigestPool(1);
    const { file } = await sparse('busy.bin', 2 * 1024 * MiB);
    try {
      const busy = new AbortController();
      const first = file.withDescriptor((fd) => pool.run({ fd, sha256: true, wholeMd5: false, partSize: null, keepUpTo: 0 }, busy.signal));
      const queued = new AbortController();
      const second = file.withDescriptor((fd) => pool.run({ fd, sha256: true, wholeMd5: false, partSize: null, keepUpTo: 0 }, queued.signal));
      queued.abort();
      await expect(second).rejects.toMatchObject({ name: 'AbortError' });
      busy.abort();
      await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await file.close();
      await pool.close();
    }
  });

  it('does not close the file under a thread still reading it', async () => {
    const { file } = await sparse('closing.bin', 256 * MiB);
    const hashing = digestFile(file, 8 * MiB);
    await new Promise((r) => setTimeout(r, 20));
    await file.close(); // waits for the thread: the descriptor cannot be reused by another file meanwhile
    const digest = await hashing;
    expect(digest.size).toBe(256 * MiB);
    expect(digest.partMd5s).toHaveLength(32);
  });

  it('passes a read error on with its code', async () => {
    const pool = new DigestPool(1);
    try {
      await expect(pool.run({ fd: 987_654, sha256: true, wholeMd5: false, partSize: null, keepUpTo: 0 })).rejects.toMatchObject({ code: 'EBADF' });
    } finally {
      await pool.close();
    }
  });

  it('refuses work after close, and close can be called twice', async () => {
    const pool = new DigestPool(2);
    await pool.close();
    await pool.close();
    await expect(pool.run({ fd: 0, sha256: true, wholeMd5: false, partSize: null, keepUpTo: 0 })).rejects.toThrow(/shut down/);
  });

  it('never keeps a process alive once its files are hashed', async () => {
    const data = randomBytes(2 * MiB);
    const path = join(root, 'watch', 'exit.bin');
    await writeFile(path, data);
    const pool = fileURLToPath(new URL('../../src/core/storage/digest-pool.ts', import.meta.url));
    // A plain Node process (the module is self-contained, erasable TypeScript): it hashes, prints, and
    // must then end by itself with the pool's thread still idle in it.
    const script = `
      import { open } from 'node:fs/promises';
      import { digestPool } from ${JSON.stringify(pool)};
      const handle = await open(${JSON.stringify(path)}, 'r');
      const result = await digestPool().run({ fd: handle.fd, sha256: true, wholeMd5: false, partSize: null, keepUpTo: 0 });
      await handle.close();
      console.log(result.sha256, digestPool().threads);
    `;
    const started = Date.now();
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { timeout: 10_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
    });
    expect(out.trim()).toBe(`${createHash('sha256').update(data).digest('hex')} 1`);
    expect(Date.now() - started).toBeLessThan(5000); // an idle thread that held the process would hit the 10 s timeout
  });
});
