/**
 * The S3 lab against the current AWS SDK: the behaviours every later integration test relies on
 * (docs/test-lab.md records the results). Each test uses its own bucket.
 */
import {
  AbortMultipartUploadCommand,
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
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labServers, uniqueBucket, type LabServer } from '../support/lab-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let lab: LabServer;
let s3: S3Client;
let dir: string;
let n = 0;
const newBucket = async (): Promise<string> => {
  const name = uniqueBucket(`lab-${++n}`);
  await lab.createBucket(name);
  return name;
};
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const getBytes = async (client: S3Client, Bucket: string, Key: string): Promise<Buffer> => {
  const res = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await res.Body!.transformToByteArray());
};
const errorOf = async (p: Promise<unknown>): Promise<{ name: string; status?: number }> => {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
};


describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    s3 = lab.client();
    dir = await mkdtemp(join(tmpdir(), 'lab-files-'));
  });
  afterAll(async () => {
    await lab?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  describe('S3 lab: object round trips', () => {
    it('round-trips a file from disk through PutObject, HeadObject, GetObject and DeleteObject', async () => {
      const bucket = await newBucket();
      const bytes = randomBytes(300_000);
      const file = join(dir, 'photo.png');
      await writeFile(file, bytes);
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'results/photo.png', Body: createReadStream(file), ContentLength: bytes.length, ContentType: 'image/png', Metadata: { sha256: 'abc' } }),
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'results/photo.png' }));
      expect(head.ContentLength).toBe(bytes.length);
      expect(head.ContentType).toBe('image/png');
      expect(head.Metadata).toEqual({ sha256: 'abc' });
      expect(md5(await getBytes(s3, bucket, 'results/photo.png'))).toBe(md5(bytes));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'results/photo.png' }));
      expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'results/photo.png' })))).status).toBe(404);
    });

    it('uploads a 41 MB file through lib-storage multipart with parts in parallel, byte-identical', async () => {
      const bucket = await newBucket();
      const bytes = randomBytes(41 * 1024 * 1024);
      const file = join(dir, 'video.mp4');
      await writeFile(file, bytes);
      const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: 'big/video.mp4', Body: createReadStream(file) }, partSize: 8 * 1024 * 1024, queueSize: 4 });
      const parts = new Set<number>();
      upload.on('httpUploadProgress', (p) => p.part && parts.add(p.part));
      await upload.done();
      expect(parts.size).toBe(6);
      expect(md5(await getBytes(s3, bucket, 'big/video.mp4'))).toBe(md5(bytes));
    });

    it('lists with a prefix and paginates', async () => {
      const bucket = await newBucket();
      for (const key of ['a/1.txt', 'a/2.txt', 'a/3.txt', 'b/1.txt']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
      const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/', MaxKeys: 2 }));
      expect(first.Contents?.map((o) => o.Key)).toEqual(['a/1.txt', 'a/2.txt']);
      expect(first.IsTruncated).toBe(true);
      const second = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
      expect(second.Contents?.map((o) => o.Key)).toEqual(['a/3.txt']);
    });

    it('serves a presigned GET over plain HTTP and refuses a tampered or expired one', async () => {
      const bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'share/clip.txt', Body: 'shared bytes' }));
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'share/clip.txt' }), { expiresIn: 300 });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('shared bytes');
      expect((await fetch(url.replace('share/clip.txt', 'share/other.txt'))).status).toBe(403);
      const expired = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'share/clip.txt' }), { expiresIn: 1, signingDate: new Date(Date.now() - 60_000) });
      expect((await fetch(expired)).status).toBe(403);
      expect((await fetch(`${lab.endpoint}/${bucket}/share/clip.txt`)).status).toBe(403);
    });
  });

  describe('S3 lab: what a faithful server refuses', () => {
    it('rejects a wrong secret, an unknown key and a wrong region', async () => {
      const bucket = await newBucket();
      const wrongSecret = lab.client({ credentials: { ...lab.users.main, secretAccessKey: 'not-the-secret' } });
      expect(await errorOf(wrongSecret.send(new GetObjectCommand({ Bucket: bucket, Key: 'x' })))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
      const unknownKey = lab.client({ credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } });
      expect(await errorOf(unknownKey.send(new GetObjectCommand({ Bucket: bucket, Key: 'x' })))).toEqual({ name: 'InvalidAccessKeyId', status: 403 });
      const wrongRegion = lab.client({ region: 'eu-west-3' });
      // S3 refuses a signature for another region; RGW's default zonegroup accepts any region.
      expect(await errorOf(wrongRegion.send(new GetObjectCommand({ Bucket: bucket, Key: 'x' })))).toEqual(
        lab.quirks.checksRegion ? { name: 'AuthorizationHeaderMalformed', status: 400 } : { name: 'NoSuchKey', status: 404 },
      );
    });

    it('answers If-None-Match: * with 412 on an existing key and keeps the first object', async () => {
      const bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.txt', Body: 'first', IfNoneMatch: '*' }));
      expect(await errorOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.txt', Body: 'second', IfNoneMatch: '*' })))).toEqual({ name: 'PreconditionFailed', status: 412 });
      expect((await getBytes(s3, bucket, 'k.txt')).toString()).toBe('first');
    });

    it('refuses streamed bodies under the SDK default checksums loudly, and stores exact bytes with WHEN_REQUIRED', async () => {
      const bucket = await newBucket();
      const bytes = randomBytes(300_000);
      const file = join(dir, 'stream.bin');
      await writeFile(file, bytes);
      const defaults = lab.client({ requestChecksumCalculation: 'WHEN_SUPPORTED', responseChecksumValidation: 'WHEN_SUPPORTED' });
      const refused = await errorOf(defaults.send(new PutObjectCommand({ Bucket: bucket, Key: 'default.bin', Body: createReadStream(file), ContentLength: bytes.length })));
      expect([400, 411]).toContain(refused.status); // the front: 400 NotImplemented; RGW: 411 MissingContentLength
      expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'default.bin' })))).status).toBe(404);
      // A buffer body under the defaults carries a plain checksum header, not aws-chunked framing: stored exactly.
      await defaults.send(new PutObjectCommand({ Bucket: bucket, Key: 'buffer.bin', Body: bytes }));
      expect(md5(await getBytes(s3, bucket, 'buffer.bin'))).toBe(md5(bytes));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'when-required.bin', Body: createReadStream(file), ContentLength: bytes.length }));
      expect(md5(await getBytes(s3, bucket, 'when-required.bin'))).toBe(md5(bytes));
    });

    it('lists in-progress multipart uploads and their parts, and aborts them', async () => {
      const bucket = await newBucket();
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'orphan/video.mp4' }));
      await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'orphan/video.mp4', UploadId, PartNumber: 1, Body: randomBytes(5 * 1024 * 1024) }));
      const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'orphan/' }));
      expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['orphan/video.mp4', UploadId]]);
      const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'orphan/video.mp4', UploadId }));
      expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 5 * 1024 * 1024]]);
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'orphan/video.mp4', UploadId }));
      expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
      expect((await errorOf(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'orphan/video.mp4', UploadId })))).status).toBe(404);
    });
  });

  describe('S3 lab: integrity checks', () => {
    it('rejects a body whose Content-MD5 does not match, storing nothing', async () => {
      const bucket = await newBucket();
      const wrong = createHash('md5').update('other bytes').digest('base64');
      expect(await errorOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digest.txt', Body: 'the bytes', ContentMD5: wrong })))).toEqual({ name: 'BadDigest', status: 400 });
      expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'digest.txt' })))).status).toBe(404);
      const right = createHash('md5').update('the bytes').digest('base64');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'digest.txt', Body: 'the bytes', ContentMD5: right }));
      expect((await getBytes(s3, bucket, 'digest.txt')).toString()).toBe('the bytes');
    });
  });
});
