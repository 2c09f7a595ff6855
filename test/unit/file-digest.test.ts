import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameContent, verifiesUpload } from '../../src/core/offload/remote-match';
import { choosePartSize, digestFile, expectedEtag } from '../../src/core/storage/file-digest';

const MiB = 1024 * 1024;
const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();

async function fileWith(data: Buffer): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'digest-')), 'f.bin');
  await writeFile(path, data);
  return path;
}

describe('file digests', () => {
  it('computes whole-file SHA-256 and MD5 and per-part MD5s in one read', async () => {
    const data = randomBytes(5 * MiB + 123);
    const d = await digestFile(await fileWith(data), 2 * MiB);
    expect(d.size).toBe(data.length);
    expect(d.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(d.md5).toEqual(md5(data));
    expect(d.partMd5s).toEqual([md5(data.subarray(0, 2 * MiB)), md5(data.subarray(2 * MiB, 4 * MiB)), md5(data.subarray(4 * MiB))]);
    expect(expectedEtag(d)).toBe(`${createHash('md5').update(Buffer.concat(d.partMd5s)).digest('hex')}-3`);
  });

  it('handles an empty file and an exact multiple of the part size', async () => {
    expect((await digestFile(await fileWith(Buffer.alloc(0)), null)).md5).toEqual(md5(Buffer.alloc(0)));
    const even = await digestFile(await fileWith(randomBytes(4 * MiB)), 2 * MiB);
    expect(even.partMd5s).toHaveLength(2);
  });

  it('grows the part size so no file needs more than 10,000 parts', () => {
    expect(choosePartSize(70 * MiB, 8 * MiB)).toBe(8 * MiB);
    const sixGiB = 6 * 1024 * MiB;
    expect(Math.ceil(sixGiB / choosePartSize(sixGiB, 5 * MiB))).toBeLessThanOrEqual(10_000);
    const fiveTiB = 5 * 1024 * 1024 * MiB;
    const part = choosePartSize(fiveTiB, 8 * MiB);
    expect(Math.ceil(fiveTiB / part)).toBeLessThanOrEqual(10_000);
    expect(part % MiB).toBe(0);
  });
});

describe('remote match rules', () => {
  const digest = { size: 3, sha256: 'aa', md5: md5(Buffer.from('abc')), partMd5s: [], partSize: null };
  const md5hex = digest.md5.toString('hex');

  it('verifies our upload only when size, checksum metadata and a content ETag all agree', () => {
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: { sha256: 'aa' } }, digest)).toBe(true);
    expect(verifiesUpload({ size: 3, etag: null, metadata: { sha256: 'aa' } }, digest)).toBe(true);
    expect(verifiesUpload({ size: 4, etag: md5hex, metadata: { sha256: 'aa' } }, digest)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: { sha256: 'bb' } }, digest)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: '0'.repeat(32), metadata: { sha256: 'aa' } }, digest)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: {} }, digest)).toBe(false);
    expect(verifiesUpload(null, digest)).toBe(false);
  });

  it('recognises an existing identical object by our checksum or by a plain MD5 ETag, never by size alone', () => {
    expect(sameContent({ size: 3, etag: 'opaque', metadata: { sha256: 'aa' } }, digest)).toBe(true);
    expect(sameContent({ size: 3, etag: md5hex, metadata: {} }, digest)).toBe(true);
    expect(sameContent({ size: 3, etag: `${md5hex}-2`, metadata: {} }, digest)).toBe(false);
    expect(sameContent({ size: 3, etag: null, metadata: {} }, digest)).toBe(false);
    expect(sameContent({ size: 3, etag: md5hex, metadata: { sha256: 'bb' } }, digest)).toBe(false);
  });
});
