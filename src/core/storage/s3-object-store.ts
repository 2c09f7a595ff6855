/**
 * One bucket behind the S3 API: head, upload a local file (single PUT or multipart), upload a stream
 * (another bucket's object, streamed-upload.ts), read an object as a stream or by ranges, download to a
 * new file (streamed), delete, presign.
 * Uploads stream from the opened file (memory does not grow with file size) and carry the digests of
 * file-digest.ts as Content-MD5, so the server refuses bytes that differ from what was hashed.
 *
 * Multipart is our own loop over CreateMultipartUpload / UploadPart / Complete rather than lib-storage's
 * Upload: lib-storage cannot send a precomputed Content-MD5 per part, cannot put `If-None-Match` on the
 * completion, and cannot resume an upload after a restart (RELIABILITY.md case 9).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { FileDigest } from './file-digest';
import type { ByteSource } from './local-file';
import { partBuffers } from './part-buffers';
import { classifyS3Error, retryTransient } from './s3-errors';
import { streamedUpload, type ObjectWriteOptions, type StreamedUploadRequest, type StreamedUploadTarget } from './streamed-upload';

export interface RemoteObject {
  size: number;
  etag: string | null;
  metadata: Record<string, string>;
  /** Epoch ms the server last wrote it (absent when the server did not say). */
  lastModified?: number | undefined;
}

/** One object of a listing (ListObjectsV2 gives no metadata: HEAD the key for that). */
export interface ListedObject {
  key: string;
  size: number;
  /** Epoch ms the server last wrote it. */
  lastModified: number;
  etag: string | null;
}

export interface UploadRequest {
  key: string;
  /** The file's bytes: the engine passes the handle it opened and hashed (local-file.ts), never a path. */
  source: ByteSource;
  /**
   * A small file's bytes, already read from `source` and hashed into `digest` (file-digest.ts
   * readAndDigest): a single PUT sends these very bytes instead of reading the file again.
   */
  bytes?: Buffer | undefined;
  digest: FileDigest;
  contentType: string;
  metadata: Record<string, string>;
  /** Refuse to replace an existing object (If-None-Match: *). */
  ifNoneMatch: boolean;
  storageClass?: string | undefined;
  concurrency: number;
  signal: AbortSignal;
  onProgress?: (sentBytes: number) => void;
  /** Called with the upload id as soon as a multipart upload exists, so it can be recorded. */
  onMultipartStarted?: (uploadId: string) => void;
  /** A multipart upload of this key begun earlier (same part size) to continue instead of starting over. */
  resumeUploadId?: string | undefined;
  /** Wraps each body stream, e.g. to limit bandwidth. */
  throttle?: (stream: Readable) => Readable;
}

/** Bytes in memory as 1 MiB views (no copies), the pieces a file stream gives: progress moves as often. */
function mebibyteViews(bytes: Buffer): Buffer[] {
  const views: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 1024 * 1024) views.push(bytes.subarray(at, at + 1024 * 1024));
  return views.length > 0 ? views : [bytes];
}

const stripQuotes = (etag: string | undefined): string | null => (etag ? etag.replace(/^"|"$/g, '') : null);

export class S3ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** The object at `key`, or null when there is none. */
  async head(key: string, signal?: AbortSignal): Promise<RemoteObject | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), signal ? { abortSignal: signal } : {});
      return { size: res.ContentLength ?? 0, etag: stripQuotes(res.ETag), metadata: res.Metadata ?? {}, lastModified: res.LastModified?.getTime() };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return null;
      throw error;
    }
  }

  /** Uploads a file; a multipart upload that fails is left for the caller to resume or abort. */
  async upload(req: UploadRequest): Promise<void> {
    if (req.digest.partSize === null) await this.putSingle(req);
    else await this.putMultipart(req, req.digest.partSize);
  }

  /**
   * A body stream for bytes [start, end) of the file. Bytes are counted by a Transform, not a 'data'
   * listener: a listener would start the flow before the SDK pipes the stream, and the bytes would be lost.
   */
  private body(req: UploadRequest, start: number, end: number, onBytes: (n: number) => void, read?: Buffer): Readable {
    // Still a stream when the bytes are in memory: the request is signed and sent exactly as from the
    // file (an unsigned payload checked by Content-MD5), and throttling and progress work the same.
    const inMemory = read ?? req.bytes?.subarray(start, end);
    const file = inMemory ? Readable.from(mebibyteViews(inMemory), { objectMode: false }) : req.source.stream(start, end);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onBytes(chunk.length);
        done(null, chunk);
      },
    });
    file.on('error', (error) => counter.destroy(error));
    const counted = file.pipe(counter);
    return req.throttle ? req.throttle(counted) : counted;
  }

  private async putSingle(req: UploadRequest): Promise<void> {
    const { md5, size } = req.digest;
    if (!md5) throw new Error(`no whole-file MD5 for the single PUT of ${req.key}: digest it with partSize null`); // a bug, never a user's case
    if (req.bytes && req.bytes.length !== size) throw new Error(`the bytes in memory for ${req.key} are ${req.bytes.length}, not the ${size} hashed`);
    let sent = 0;
    await this.sendRange(req, 0, size, (n) => req.onProgress?.((sent += n)), (body) => this.writes.putObject(req.key, body, { ...req, contentLength: size, contentMd5: md5 }, req.signal));
  }

  /**
   * Sends bytes [start, end) of the file through `send`: from the bytes in memory when the job read them,
   * else read whole into a reused buffer (part-buffers.ts) when one is free, else streamed from the file.
   * Each way the body is checked by the Content-MD5 hashed before, so a file that changed is refused.
   */
  private async sendRange<T>(req: UploadRequest, start: number, end: number, onBytes: (n: number) => void, send: (body: Readable) => Promise<T>): Promise<T> {
    const length = end - start;
    const readAt = req.bytes ? undefined : req.source.readAt;
    const buffer = readAt ? partBuffers().take(length) : null;
    if (!buffer || !readAt) return send(this.body(req, start, end, onBytes));
    let handedOn = false;
    try {
      const read = await readAt.call(req.source, buffer, length, start);
      if (read !== length) throw new Error(`${req.key}: only ${read} of the ${length} bytes at ${start} could be read: the file became shorter after it was hashed`);
      handedOn = true;
      const result = await send(this.body(req, start, end, onBytes, buffer.subarray(0, length)));
      partBuffers().give(buffer);
      return result;
    } catch (error) {
      // A request that failed may still have the buffer in its socket's queue: it is not lent again.
      if (handedOn) partBuffers().drop(buffer);
      else partBuffers().give(buffer);
      throw error;
    }
  }

  /**
   * Multipart upload. Parts already on the server from a resumed upload are kept when their ETag is the
   * MD5 we computed for that part now (so they hold exactly these bytes). On failure the upload is left
   * in place for the caller to resume or abort: an unfinished multipart upload is never a visible object.
   */
  private async putMultipart(req: UploadRequest, partSize: number): Promise<void> {
    const partCount = req.digest.partMd5s.length;
    const etags: (string | undefined)[] = Array.from({ length: partCount }, () => undefined);
    const partSent = new Array<number>(partCount).fill(0);
    let uploadId = req.resumeUploadId ? await this.resumable(req, req.resumeUploadId, partSize, etags, partSent) : null;
    if (!uploadId) {
      uploadId = await this.writes.createMultipart(req.key, req, req.signal);
      req.onMultipartStarted?.(uploadId);
    }
    const report = (): void => req.onProgress?.(partSent.reduce((a, b) => a + b, 0));
    report();
    const todo = etags.flatMap((etag, index) => (etag ? [] : [index]));
    const worker = async (): Promise<void> => {
      for (let index = todo.shift(); index !== undefined; index = todo.shift()) {
        etags[index] = await this.uploadPart(req, uploadId, index, partSize, (n) => {
          partSent[index] = n;
          report();
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(req.concurrency, todo.length) }, worker));
    await this.writes.completeMultipart(req.key, uploadId, etags as string[], req.ifNoneMatch, req.signal);
  }

  /**
   * Looks up an earlier upload's parts. Fills `etags` / `partSent` for the parts that hold exactly our
   * bytes; returns the upload id, or null when the upload is gone or its parts cannot be listed (then the
   * caller starts over).
   */
  private async resumable(req: UploadRequest, uploadId: string, partSize: number, etags: (string | undefined)[], partSent: number[]): Promise<string | null> {
    let marker: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListPartsCommand({ Bucket: this.bucket, Key: req.key, UploadId: uploadId, ...(marker ? { PartNumberMarker: marker } : {}) }),
          { abortSignal: req.signal },
        );
        for (const part of page.Parts ?? []) {
          const index = (part.PartNumber ?? 0) - 1;
          const expectedSize = Math.min(partSize, req.digest.size - index * partSize);
          const md5 = req.digest.partMd5s[index]?.toString('hex');
          if (md5 && stripQuotes(part.ETag) === md5 && part.Size === expectedSize) {
            etags[index] = part.ETag!;
            partSent[index] = expectedSize;
          }
        }
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      // The client already retried the listing (5xx, resets); still failing, it would fail every attempt
      // of the file the same way. Starting over costs only the parts sent before: abort, then a new upload.
      if (classifyS3Error(error).kind !== 'transient' || req.signal.aborted) throw error;
      await this.abortMultipart(req.key, uploadId).catch(() => undefined);
      return null;
    }
    return uploadId;
  }

  /** Uploads one part, retrying transient failures with a fresh stream (a used stream cannot be resent). */
  private uploadPart(req: UploadRequest, uploadId: string, index: number, partSize: number, onSent: (n: number) => void): Promise<string> {
    const start = index * partSize;
    const end = Math.min(req.digest.size, start + partSize);
    return retryTransient(
      req.signal,
      () => {
        let sent = 0;
        return this.sendRange(req, start, end, (n) => onSent((sent += n)), (body) => this.writes.uploadPart(req.key, uploadId, index + 1, body, end - start, req.digest.partMd5s[index]!, req.signal));
      },
      () => onSent(0),
    );
  }

  /**
   * Aborts uploads of this key that nobody recorded: left by a crash after the server created them but
   * before their id was written down. They are not adopted: a listing does not show their metadata, so
   * completing one could produce an object without the checksum the engine verifies. Best effort:
   * listing needs s3:ListBucketMultipartUploads, which narrowly scoped keys may lack; the provider's
   * lifecycle rule (abort incomplete uploads) is then the safety net.
   */
  private async abortUnrecordedUploads(key: string, signal: AbortSignal): Promise<void> {
    let uploadIds: string[];
    try {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: key }), { abortSignal: signal });
      uploadIds = (page.Uploads ?? []).filter((u) => u.Key === key && u.UploadId).map((u) => u.UploadId!);
    } catch (error) {
      if (signal.aborted) throw error;
      return;
    }
    for (const uploadId of uploadIds) await this.abortMultipart(key, uploadId).catch(() => undefined);
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
  }

  /** A small object from memory, with Content-MD5 (the connection test's probe). */
  async putBytes(key: string, body: Buffer, options: { contentMd5: string; contentType: string; ifNoneMatch: boolean }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentMD5: options.contentMd5, ContentType: options.contentType, ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}) }),
    );
  }

  /** A whole object's bytes (small objects only: it is read into memory). */
  async getBytes(key: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  /**
   * Streams an object into a new file at `path` (created exclusively, never over an existing name),
   * hashing the bytes as they are written, then fsyncs it. Memory does not grow with the object's size.
   * On any failure the partial file is deleted. Returns the bytes written and their SHA-256 (hex): the
   * caller compares it with what it expects.
   */
  async download(key: string, path: string, signal?: AbortSignal): Promise<{ size: number; sha256: string }> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), signal ? { abortSignal: signal } : {});
    const body = res.Body as Readable;
    const hash = createHash('sha256');
    let size = 0;
    let handle;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      body.destroy();
      throw error;
    }
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        await handle.write(chunk);
      }
      await handle.sync();
      await handle.close();
    } catch (error) {
      body.destroy();
      await handle.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  /**
   * Writes an object from a stream read once (streamed-upload.ts): a move's copy of another bucket's
   * object. Returns the digest of the bytes sent.
   */
  uploadStreamed(req: StreamedUploadRequest): Promise<FileDigest> {
    return streamedUpload(this.writes, req);
  }

  /**
   * The S3 calls that write an object on this bucket, each with Content-MD5 where it carries bytes: the
   * one place both the upload of a local file and the streamed upload build their requests.
   */
  private readonly writes: StreamedUploadTarget = {
    putObject: async (key, body, o, signal) => {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: o.contentLength, ContentMD5: o.contentMd5.toString('base64'), ...writeFields(o), ...(o.ifNoneMatch ? { IfNoneMatch: '*' } : {}) }), { abortSignal: signal });
    },
    createMultipart: async (key, o, signal) => {
      // One left by a crash between its creation and its recording goes first.
      await this.abortUnrecordedUploads(key, signal);
      const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ...writeFields(o) }), { abortSignal: signal });
      return created.UploadId!;
    },
    uploadPart: async (key, uploadId, partNumber, body, contentLength, contentMd5, signal) => {
      const res = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: contentLength, ContentMD5: contentMd5.toString('base64') }), { abortSignal: signal });
      return res.ETag!;
    },
    completeMultipart: async (key, uploadId, etags, ifNoneMatch, signal) => {
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }, ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}) }),
        { abortSignal: signal },
      );
    },
    abortMultipart: (key, uploadId) => this.abortMultipart(key, uploadId),
  };

  /** An object's bytes [start, end) as a stream (from `start` to the end without `end`); rejects when it is missing. */
  async read(key: string, range: { start: number; end?: number | undefined } = { start: 0 }, signal?: AbortSignal): Promise<Readable> {
    const whole = range.start === 0 && range.end === undefined;
    const Range = whole ? undefined : `bytes=${range.start}-${range.end === undefined ? '' : range.end - 1}`;
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(Range ? { Range } : {}) }), signal ? { abortSignal: signal } : {});
    return res.Body as Readable;
  }

  /** An object as a ByteSource: each range is its own GET, made when the stream is first read. */
  byteSource(key: string): ByteSource {
    return {
      stream: (start = 0, end, signal) => {
        const read = (): Promise<Readable> => this.read(key, { start, end }, signal);
        return Readable.from(
          (async function* () {
            if (end !== undefined && end <= start) return;
            yield* (await read()) as AsyncIterable<Buffer>;
          })(),
        );
      },
    };
  }

  /**
   * One page of the objects under `prefix` (ListObjectsV2), in the server's key order. `maxKeys` caps
   * the page (S3 allows at most 1,000); `token` is the previous page's `nextToken`, null after the last.
   */
  async list(options: { prefix: string; maxKeys?: number | undefined; token?: string | undefined; signal?: AbortSignal | undefined }): Promise<{ objects: ListedObject[]; nextToken: string | null }> {
    const res = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: options.prefix || undefined, MaxKeys: options.maxKeys, ContinuationToken: options.token }),
      options.signal ? { abortSignal: options.signal } : {},
    );
    const objects = (res.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified?.getTime() ?? 0, etag: stripQuotes(o.ETag) }]));
    return { objects, nextToken: res.IsTruncated && res.NextContinuationToken ? res.NextContinuationToken : null };
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}

/** The fields every write of an object carries (content type, our metadata, the storage class). */
function writeFields(o: ObjectWriteOptions): { ContentType: string; Metadata: Record<string, string>; StorageClass?: never } {
  return { ContentType: o.contentType, Metadata: o.metadata, ...(o.storageClass ? { StorageClass: o.storageClass as never } : {}) };
}
