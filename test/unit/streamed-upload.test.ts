/**
 * The streamed upload of a move (src/core/storage/streamed-upload.ts), against a recording target: the
 * object becomes visible only when the bytes read are the expected ones, every part carries the MD5 of
 * its own bytes, the digest matches what a read of the whole file gives, and memory stays bounded by the
 * parts in flight. (The real thing against both lab servers: test/integration/move.test.ts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digestFile, expectedEtag } from '../../src/core/storage/file-digest';
import { splitIntoParts } from '../../src/core/storage/part-splitter';
import { SourceMismatch, streamedUpload, type StreamedUploadRequest, type StreamedUploadTarget } from '../../src/core/storage/streamed-upload';
import type { ByteSource } from '../../src/core/storage/local-file';
import { Readable as NodeReadable } from 'node:stream';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const read = async (body: Readable): Promise<Buffer> => Buffer.concat(await body.toArray());

/** Records every call; parts are answered after `delayMs`. */
function recordingTarget(delayMs = 0) {
  const calls: string[] = [];
  const parts = new Map<number, Buffer>();
  let inFlight = 0;
  let maxInFlight = 0;
  let object: Buffer | null = null;
  const target: StreamedUploadTarget = {
    async putObject(key, body, o) {
      const bytes = await read(body);
      expect(o.contentMd5).toEqual(md5(bytes));
      calls.push(`put ${key}`);
      object = bytes;
    },
    async createMultipart(key) {
      calls.push(`create ${key}`);
      return 'upload-1';
    },
    async uploadPart(_key, _id, n, body, length, contentMd5) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const bytes = await read(body);
      expect(bytes.length).toBe(length);
      expect(contentMd5).toEqual(md5(bytes));
      await new Promise((r) => setTimeout(r, delayMs));
      parts.set(n, bytes);
      inFlight--;
      return `"${md5(bytes).toString('hex')}"`;
    },
    async completeMultipart(key, _id, etags) {
      calls.push(`complete ${key} ${etags.length}`);
      object = Buffer.concat([...parts.keys()].sort((a, b) => a - b).map((n) => parts.get(n)!));
    },
    async abortMultipart(key) {
      calls.push(`abort ${key}`);
    },
  };
  return { target, calls, object: () => object, maxInFlight: () => maxInFlight };
}

const request = (data: Buffer, over: Partial<StreamedUploadRequest>): StreamedUploadRequest => ({
  key: 'k',
  body: chunked(data, 64 * 1024 + 3),
  expected: { size: data.length, sha256: sha(data) },
  describe: 'the object b/k',
  partSize: null,
  concurrency: 2,
  signal: new AbortController().signal,
  contentType: 'application/octet-stream',
  metadata: {},
  ifNoneMatch: true,
  ...over,
});

describe('splitIntoParts', () => {
  it('cuts any chunking into parts of exactly the part size, the last one shorter; an empty stream is one empty part', async () => {
    const data = randomBytes(10 * 1000 + 7);
    for (const chunk of [1, 999, 1000, 4096, 20_000]) {
      const parts: Buffer[] = [];
      for await (const part of splitIntoParts(chunked(data, chunk), 1000)) parts.push(Buffer.from(part.bytes));
      expect(parts.map((p) => p.length)).toEqual([...Array(10).fill(1000), 7]);
      expect(Buffer.concat(parts).equals(data)).toBe(true);
    }
    const empty: number[] = [];
    for await (const part of splitIntoParts(chunked(Buffer.alloc(0), 10), 1000)) empty.push(part.bytes.length);
    expect(empty).toEqual([0]);
  });
});

describe('streamedUpload', () => {
  it('one PUT: sent only after the SHA-256 matched, with the digest a whole read gives', async () => {
    const data = randomBytes(300_000);
    const t = recordingTarget();
    const digest = await streamedUpload(t.target, request(data, {}));
    expect(t.calls).toEqual(['put k']);
    expect(t.object()!.equals(data)).toBe(true);
    const source: ByteSource = { stream: () => NodeReadable.from([data]) };
    expect(digest).toEqual(await digestFile(source, null));
  });

  it('in parts: each with its own MD5, the etag predictable, at most `concurrency` parts in flight', async () => {
    const data = randomBytes(10 * 1024 * 1024 + 11);
    const t = recordingTarget(5);
    const partSize = 1024 * 1024;
    const digest = await streamedUpload(t.target, request(data, { partSize, concurrency: 3 }));
    expect(t.calls).toEqual(['create k', 'complete k 11']);
    expect(t.object()!.equals(data)).toBe(true);
    expect(t.maxInFlight()).toBeLessThanOrEqual(3);
    const whole = await digestFile({ stream: () => NodeReadable.from([data]) }, partSize);
    expect(digest).toEqual(whole);
    expect(expectedEtag(digest)).toMatch(/^[0-9a-f]{32}-11$/);
  });

  it.each([
    ['one PUT', null],
    ['in parts', 1024 * 1024],
  ])('%s: a source that is not the recorded file never becomes an object (SourceMismatch, upload aborted)', async (_label, partSize) => {
    const data = randomBytes(3 * 1024 * 1024);
    const other = Buffer.from(data);
    other.writeUInt8(other.readUInt8(1234) ^ 1, 1234);
    for (const [body, size] of [
      [other, data.length], // same size, different bytes
      [data.subarray(1), data.length], // shorter
      [Buffer.concat([data, Buffer.from('x')]), data.length], // longer
    ] as const) {
      const t = recordingTarget();
      const error = await streamedUpload(t.target, request(data, { body: chunked(body, 100_000), partSize, expected: { size, sha256: sha(data) } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceMismatch);
      expect((error as SourceMismatch).code).toBe('source-differs');
      expect((error as Error).message).toContain('the object b/k is not the file that was offloaded');
      expect(t.calls.some((c) => c.startsWith('put') || c.startsWith('complete'))).toBe(false);
      if (partSize) expect(t.calls.at(-1)).toBe('abort k');
      expect(t.object()).toBeNull();
    }
  });

  it('a part the server refuses aborts the upload and nothing is completed', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const t = recordingTarget();
    const refusing: StreamedUploadTarget = {
      ...t.target,
      uploadPart: async (...args) => {
        if (args[2] === 3) throw Object.assign(new Error('AccessDenied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
        return t.target.uploadPart(...args);
      },
    };
    await expect(streamedUpload(refusing, request(data, { partSize: 1024 * 1024 }))).rejects.toThrow('AccessDenied');
    expect(t.calls).toEqual(['create k', 'abort k']);
  });
});
