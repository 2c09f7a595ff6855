import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
