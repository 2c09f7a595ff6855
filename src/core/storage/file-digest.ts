/**
 * Reads a file once and computes everything upload and verification need: the whole-content SHA-256
 * (stored as metadata, the product's own checksum), the whole MD5 (Content-MD5 of a single PUT) and the
 * MD5 of every multipart part (Content-MD5 of each UploadPart). Sending these digests makes the server
 * refuse any byte that differs from what was hashed, so a file that changes mid-upload never commits.
 *
 * The engine's opened file is hashed in a worker thread (digest-pool.ts), which reads the descriptor the
 * engine checked, never the path; a file up to INLINE_DIGEST_MAX_BYTES is read through the same opened
 * file (LocalFile.readAt) and hashed on the main thread instead. Other sources (a path, another bucket's object) are hashed here.
 */
import { createHash } from 'node:crypto';
import { digestPool, type DigestResult, type DigestTask } from './digest-pool';
import { pathSource, type ByteSource } from './local-file';

export interface FileDigest {
  size: number;
  sha256: string;
  /**
   * The whole file's MD5: Content-MD5 of a single PUT, always there for one. For a file sent in parts it
   * can be left out (digestFile's `multipartMd5: false`, null here) until an answer needs it (whole-md5.ts).
   */
  md5: Buffer | null;
  /** One MD5 per part when uploaded in parts of `partSize`; empty for a single PUT. */
  partMd5s: Buffer[];
  partSize: number | null;
}

/**
 * A source that lends its open descriptor to a hashing thread for the time of one read, and reads
 * ranges of it itself (LocalFile).
 */
export interface DescriptorSource extends ByteSource {
  withDescriptor<T>(use: (fd: number) => Promise<T>): Promise<T>;
  readAt(target: Buffer, length: number, position: number): Promise<number>;
}

export interface DigestOptions {
  /**
   * Compute the whole-file MD5 also for a file sent in parts (default true). The offload job says false
   * and fills it in only when a server's answer asks for it (whole-md5.ts): an MD5 pass less per file.
   */
  multipartMd5?: boolean;
}

/**
 * Files up to this size that go in one PUT are read into memory once, for the digest and the PUT
 * (readAndDigest). What that holds is at most this × the files uploaded at once (16 MiB at the default
 * 4, 128 MiB at the most, 32); larger ones are read twice, the second time from the page cache.
 */
export const READ_INTO_MEMORY_MAX_BYTES = 4 * 1024 * 1024;

const lendsDescriptor = (source: ByteSource | string): source is DescriptorSource => typeof source !== 'string' && typeof (source as Partial<DescriptorSource>).withDescriptor === 'function';

/** The engine's opened file (local-file.ts) is hashed in a worker thread; a path or any other source is read as it is (tests, tools, objects). */
export async function digestFile(source: ByteSource | string, partSize: number | null, signal?: AbortSignal, options: DigestOptions = {}): Promise<FileDigest> {
  const wholeMd5 = partSize === null || (options.multipartMd5 ?? true);
  if (lendsDescriptor(source)) {
    const result = await inThread(source, { sha256: true, wholeMd5, partSize, keepUpTo: 0 }, signal);
    return { size: result.size, sha256: result.sha256!, md5: result.md5, partMd5s: result.partMd5s, partSize };
  }
  const sha = createHash('sha256');
  const md5 = wholeMd5 ? createHash('md5') : null;
  const partMd5s: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  let size = 0;
  const stream = (typeof source === 'string' ? pathSource(source) : source).stream(0, undefined, signal);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5?.update(chunk);
    size += chunk.length;
    if (partSize === null) continue;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partSize) {
        partMd5s.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (partSize !== null && (inPart > 0 || partMd5s.length === 0)) partMd5s.push(part.digest());
  return { size, sha256: sha.digest('hex'), md5: md5 ? md5.digest() : null, partMd5s, partSize };
}

/**
 * A file sent in one PUT, read into memory once (in a worker thread, or here up to INLINE_DIGEST_MAX_BYTES): its digest and the very bytes it
 * describes, which are then sent as they are. Reads up to `expectedSize` + 1 bytes, so a file that grew
 * since it settled gives a digest of another size (the caller refuses it).
 */
export async function readAndDigest(source: DescriptorSource, expectedSize: number, signal?: AbortSignal): Promise<{ digest: FileDigest; bytes: Buffer }> {
  const keepUpTo = expectedSize + 1; // a file that grew reads one byte more than expected
  const result = expectedSize <= INLINE_DIGEST_MAX_BYTES ? await readInline(source, keepUpTo, signal) : await inThread(source, { sha256: true, wholeMd5: true, partSize: null, keepUpTo }, signal);
  return { digest: { size: result.size, sha256: result.sha256!, md5: result.md5, partMd5s: [], partSize: null }, bytes: result.bytes! };
}

/**
 * Files up to this size are read and hashed on the main thread, where that costs less than handing the
 * task to a hashing thread (about 0.25 ms of the main thread per file, measured in the small workload's
 * profile). Above it the main thread, which is what limits small files here, is better spared: hashing
 * 256 KiB inline took 0.6 ms of it per file (docs/PERFORMANCE.md, "Second round").
 */
export const INLINE_DIGEST_MAX_BYTES = 64 * 1024;

/** Reads at most `keepUpTo` bytes from offset 0 of the opened file (positioned reads, as the threads do) and hashes them. */
async function readInline(source: DescriptorSource, keepUpTo: number, signal: AbortSignal | undefined): Promise<DigestResult> {
  signal?.throwIfAborted();
  const bytes = Buffer.allocUnsafe(keepUpTo);
  const size = await source.readAt(bytes, keepUpTo, 0);
  signal?.throwIfAborted();
  const kept = bytes.subarray(0, size);
  return { size, sha256: createHash('sha256').update(kept).digest('hex'), md5: createHash('md5').update(kept).digest(), partMd5s: [], bytes: kept };
}

function inThread(source: DescriptorSource, task: Omit<DigestTask, 'fd'>, signal: AbortSignal | undefined): Promise<DigestResult> {
  return source.withDescriptor((fd) => digestPool().run({ fd, ...task }, signal));
}

/** The ETag S3-compatible servers give an object uploaded this way (quotes stripped). */
export function expectedEtag(digest: FileDigest): string {
  if (digest.partSize === null) return digest.md5!.toString('hex'); // a single PUT's digest always has it
  const combined = createHash('md5').update(Buffer.concat(digest.partMd5s)).digest('hex');
  return `${combined}-${digest.partMd5s.length}`;
}

/**
 * Part size for a file: at least `preferred`, grown in whole MiB so no file needs more than 10,000
 * parts (the S3 limit).
 */
export function choosePartSize(size: number, preferred: number): number {
  const MiB = 1024 * 1024;
  const needed = Math.ceil(size / 10_000 / MiB) * MiB;
  return Math.max(preferred, needed);
}
