/**
 * Writes an object from a stream whose checksums are not known before it is read: another bucket's
 * object, during a move (offload/move-file.ts). One pass over the bytes, no temporary copy: each part is
 * held in memory only while it is hashed and sent, in a pool of (concurrency + 1) part buffers reused
 * for the whole object, so memory does not follow the object's size (bench/move-memory.bench.ts).
 *
 * Every byte is still sent with its Content-MD5, computed from that very buffer, so the server refuses
 * anything that differs from what was read. The whole object's SHA-256 is fed in order as the bytes
 * arrive and compared with the expected one before the object becomes visible: a single PUT is sent
 * only after the check, and a multipart upload is completed only after it (else aborted). A source whose
 * bytes are not what the log recorded therefore never produces an object.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CoreError } from '../errors';
import type { FileDigest } from './file-digest';
import { BufferPool, splitIntoParts } from './part-splitter';
import { retryTransient } from './s3-errors';

/** The source's bytes are not the ones expected (size or SHA-256): nothing was made visible. */
export class SourceMismatch extends CoreError {
  constructor(
    what: string,
    readonly actual: { size: number; sha256: string },
    expected: { size: number; sha256: string },
  ) {
    super(
      'source-differs',
      `${what} is not the file that was offloaded (${actual.size} bytes, SHA-256 ${actual.sha256}; the log recorded ${expected.size} bytes, ${expected.sha256}); it was not copied`,
      'The object was changed in the bucket after the upload. If this machine still has the file, offload it again; otherwise look for an earlier version in the bucket.',
    );
  }
}

/** What the store does for a streamed upload: the S3 calls, with their answers' ETags. */
export interface StreamedUploadTarget {
  putObject(key: string, body: Readable, options: ObjectWriteOptions & { contentLength: number; contentMd5: Buffer }, signal: AbortSignal): Promise<void>;
  createMultipart(key: string, options: ObjectWriteOptions, signal: AbortSignal): Promise<string>;
  uploadPart(key: string, uploadId: string, partNumber: number, body: Readable, contentLength: number, contentMd5: Buffer, signal: AbortSignal): Promise<string>;
  completeMultipart(key: string, uploadId: string, etags: string[], ifNoneMatch: boolean, signal: AbortSignal): Promise<void>;
  abortMultipart(key: string, uploadId: string): Promise<void>;
}

export interface ObjectWriteOptions {
  contentType: string;
  metadata: Record<string, string>;
  ifNoneMatch: boolean;
  storageClass?: string | undefined;
}

export interface StreamedUploadRequest extends ObjectWriteOptions {
  key: string;
  /** The bytes, in order (e.g. a GET's body). */
  body: AsyncIterable<Buffer>;
  /** What the bytes must be: their count and SHA-256 (hex), checked before the object becomes visible. */
  expected: { size: number; sha256: string };
  /** Names the source in a SourceMismatch ("bucket/key"). */
  describe: string;
  /** Null: one PUT (the whole object is held in memory: only for objects up to the multipart threshold). */
  partSize: number | null;
  concurrency: number;
  signal: AbortSignal;
  onProgress?: (sentBytes: number) => void;
  /** Called with the upload id as soon as a multipart upload exists, so it can be recorded. */
  onMultipartStarted?: (uploadId: string) => void;
  /** Wraps each body stream, e.g. to limit bandwidth. */
  throttle?: ((stream: Readable) => Readable) | undefined;
}

/** Uploads the stream; returns the digest of what was sent (for the verification that follows). */
export async function streamedUpload(target: StreamedUploadTarget, req: StreamedUploadRequest): Promise<FileDigest> {
  return req.partSize === null ? putWhole(target, req) : putInParts(target, req, req.partSize);
}

/** Bytes are handed to the throttle in pieces this size, so a bandwidth limit holds within a part too. */
const PIECE = 64 * 1024;

const bodyOf = (bytes: Buffer, throttle: StreamedUploadRequest['throttle']): Readable => {
  const pieces = function* (): Generator<Buffer> {
    for (let at = 0; at < bytes.length; at += PIECE) yield bytes.subarray(at, at + PIECE);
  };
  const stream = Readable.from(pieces(), { objectMode: false });
  return throttle ? throttle(stream) : stream;
};

function checkSource(req: StreamedUploadRequest, size: number, sha256: string): void {
  if (size !== req.expected.size || sha256 !== req.expected.sha256) throw new SourceMismatch(req.describe, { size, sha256 }, req.expected);
}

async function putWhole(target: StreamedUploadTarget, req: StreamedUploadRequest): Promise<FileDigest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.length;
    // Past the expected size it is not our file, whatever follows: stop reading.
    if (size > req.expected.size) throw new SourceMismatch(req.describe, { size, sha256: '(not read to the end)' }, req.expected);
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks, size);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  checkSource(req, size, sha256);
  const md5 = createHash('md5').update(bytes).digest();
  await target.putObject(req.key, bodyOf(bytes, req.throttle), { ...req, contentLength: size, contentMd5: md5 }, req.signal);
  req.onProgress?.(size);
  return { size, sha256, md5, partMd5s: [], partSize: null };
}

async function putInParts(target: StreamedUploadTarget, req: StreamedUploadRequest, partSize: number): Promise<FileDigest> {
  const uploadId = await target.createMultipart(req.key, req, req.signal);
  req.onMultipartStarted?.(uploadId);
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const partMd5s: Buffer[] = [];
  const etags: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let sent = 0;
  let size = 0;
  // The parts being sent plus the one filling: the same buffers over and over, whatever the object's size.
  const pool = new BufferPool(partSize, req.concurrency + 1);
  try {
    for await (const part of splitIntoParts(req.body, partSize, pool)) {
      if (failure) break;
      size += part.bytes.length;
      if (size > req.expected.size) throw new SourceMismatch(req.describe, { size, sha256: '(not read to the end)' }, req.expected);
      sha.update(part.bytes);
      md5.update(part.bytes);
      const partMd5 = createHash('md5').update(part.bytes).digest();
      partMd5s[part.index] = partMd5;
      // A part's promise never rejects: the first failure is kept and ends the loop, so no rejection is
      // left unhandled while other parts are still being sent.
      const sending: Promise<void> = sendPart(target, req, uploadId, part.index, part.bytes, partMd5).then(
        (etag) => {
          etags[part.index] = etag;
          req.onProgress?.((sent += part.bytes.length));
        },
        (error: unknown) => void (failure ??= error),
      );
      // Given back only now: nothing reads the buffer once its part is answered (or given up).
      void sending.then(() => pool.give(part.buffer));
      const tracked = sending.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= req.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    checkSource(req, size, sha.digest('hex'));
    await target.completeMultipart(req.key, uploadId, etags, req.ifNoneMatch, req.signal);
  } catch (error) {
    await Promise.all(inFlight);
    // Never completed, so never visible: nothing partial is left (a crash here leaves the recorded id).
    await target.abortMultipart(req.key, uploadId).catch(() => undefined);
    throw error;
  }
  return { size, sha256: req.expected.sha256, md5: md5.digest(), partMd5s, partSize };
}

/** One part, retrying transient failures (the bytes are in memory, so a retry resends the same ones). */
function sendPart(target: StreamedUploadTarget, req: StreamedUploadRequest, uploadId: string, index: number, bytes: Buffer, partMd5: Buffer): Promise<string> {
  return retryTransient(req.signal, () => target.uploadPart(req.key, uploadId, index + 1, bodyOf(bytes, req.throttle), bytes.length, partMd5, req.signal));
}
