/**
 * The whole-file MD5 of a file sent in parts, computed only when a HEAD answer needs it
 * (src/core/storage/whole-md5.ts): filled in before the answer is compared, never otherwise, and never
 * from bytes other than those the digest's SHA-256 describes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sameContent, verifiesUpload } from '../../src/core/offload/remote-match';
import { digestFile, expectedEtag } from '../../src/core/storage/file-digest';
import { FileChanged, LocalFile } from '../../src/core/storage/local-file';
import type { RemoteObject, S3ObjectStore } from '../../src/core/storage/s3-object-store';
import { WholeMd5OnDemand } from '../../src/core/storage/whole-md5';

const MiB = 1024 * 1024;
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'whole-md5-'));
  await mkdir(join(root, 'w'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A store whose HEAD answers `remote` for every key, counting the calls. */
function storeAnswering(remote: RemoteObject | null): S3ObjectStore & { heads: number } {
  const store = {
    heads: 0,
    bucket: 'b',
    head: async () => {
      store.heads++;
      return remote;
    },
  };
  return store as unknown as S3ObjectStore & { heads: number };
}

async function setUp(data: Buffer) {
  const path = join(root, 'w', 'big.mov');
  await writeFile(path, data);
  const stamp = await stat(path);
  const file = await LocalFile.open(path, join(root, 'w'), stamp);
  const digest = await digestFile(file, 2 * MiB, undefined, { multipartMd5: false });
  const onDemand = new WholeMd5OnDemand(file, new AbortController().signal);
  onDemand.track(digest, stamp);
  return { path, file, digest, onDemand };
}

describe('the whole-file MD5 on demand', () => {
  it('is filled in after a HEAD whose ETag is a plain MD5 (s3rver multipart, a one-PUT object), before the comparison', async () => {
    const data = randomBytes(5 * MiB);
    const { file, digest, onDemand } = await setUp(data);
    try {
      expect(digest.md5).toBeNull();
      const wholeMd5 = createHash('md5').update(data).digest('hex');
      const remote: RemoteObject = { size: data.length, etag: wholeMd5, metadata: { sha256: digest.sha256 } };
      const store = onDemand.around(storeAnswering(remote));
      const answer = await store.head('k');
      expect(digest.md5?.toString('hex')).toBe(wholeMd5);
      expect(verifiesUpload(answer, digest)).toBe(true);
      expect(sameContent({ ...remote, metadata: {} }, digest)).toBe(true); // another tool's one-PUT object
      expect(store.bucket).toBe('b'); // everything but head is the store itself
    } finally {
      await file.close();
    }
  });

  it('is not computed for a multipart ETag, another size, or no object', async () => {
    const data = randomBytes(5 * MiB);
    const { file, digest, onDemand } = await setUp(data);
    try {
      await onDemand.around(storeAnswering({ size: data.length, etag: expectedEtag(digest), metadata: {} })).head('k');
      await onDemand.around(storeAnswering({ size: data.length + 1, etag: 'a'.repeat(32), metadata: {} })).head('k');
      await onDemand.around(storeAnswering(null)).head('k');
      expect(digest.md5).toBeNull();
    } finally {
      await file.close();
    }
  });

  it('refuses to fill it from bytes that changed since the digest: the file is offloaded later instead', async () => {
    const data = randomBytes(5 * MiB);
    const { path, file, digest, onDemand } = await setUp(data);
    try {
      const changed = Buffer.from(data);
      changed.writeUInt8(changed.readUInt8(123) ^ 0xff, 123);
      await writeFile(path, changed); // same size; rewritten in place through another handle
      const store = onDemand.around(storeAnswering({ size: data.length, etag: createHash('md5').update(changed).digest('hex'), metadata: {} }));
      await expect(store.head('k')).rejects.toBeInstanceOf(FileChanged);
      expect(digest.md5).toBeNull();
    } finally {
      await file.close();
    }
  });
});
