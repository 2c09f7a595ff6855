/**
 * The verification rules: size and our SHA-256 metadata are what any server can echo back, so only an
 * ETag our digests predict proves the bytes; an opaque ETag passes only where the catalog says the
 * provider gives them, and only at its own endpoint.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { opaqueEtagsFor, sameContent, verifiesUpload } from '../../src/core/offload/remote-match';
import { expectedEtag, type FileDigest } from '../../src/core/storage/file-digest';
import { providerCatalog } from '../../src/shared/providers/catalog';

const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();
const wholeMd5 = md5(Buffer.from('abc'));
const single: FileDigest = { size: 3, sha256: 'aa', md5: wholeMd5, partMd5s: [], partSize: null };
const md5hex = wholeMd5.toString('hex');
const parts: FileDigest = { size: 3, sha256: 'aa', md5: wholeMd5, partMd5s: [md5(Buffer.from('ab')), md5(Buffer.from('c'))], partSize: 2 };
const ours = { sha256: 'aa' };
const kmsEtag = 'ab12Kx9-opaque+KMS';

describe('verifying our upload', () => {
  it('passes only when size, checksum metadata and a content ETag all agree', () => {
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: ours }, single)).toBe(true);
    expect(verifiesUpload({ size: 4, etag: md5hex, metadata: ours }, single)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: { sha256: 'bb' } }, single)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: '0'.repeat(32), metadata: ours }, single)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: {} }, single)).toBe(false);
    expect(verifiesUpload(null, single)).toBe(false);
  });

  it('accepts both multipart forms the lab servers give, each only when it is computed from our digests', () => {
    expect(verifiesUpload({ size: 3, etag: expectedEtag(parts), metadata: ours }, parts)).toBe(true); // RGW, S3: md5(part md5s)-N
    expect(verifiesUpload({ size: 3, etag: md5hex, metadata: ours }, parts)).toBe(true); // s3rver: the whole file's MD5
    expect(verifiesUpload({ size: 3, etag: `${'0'.repeat(32)}-2`, metadata: ours }, parts)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: `${md5hex}-1`, metadata: ours }, single)).toBe(false);
  });

  it('refuses a server that echoes size and metadata with a missing, empty or opaque ETag', () => {
    for (const etag of [null, '', kmsEtag, 'not-an-md5']) {
      expect(verifiesUpload({ size: 3, etag, metadata: ours }, single), String(etag)).toBe(false);
      expect(verifiesUpload({ size: 3, etag, metadata: ours }, parts), String(etag)).toBe(false);
    }
  });

  it("accepts an opaque ETag only with the catalog's allowance, and never a missing one or a wrong content ETag", () => {
    const allowance = providerCatalog.aws.opaqueEtags;
    expect(allowance).not.toBeNull();
    expect(verifiesUpload({ size: 3, etag: kmsEtag, metadata: ours }, single, allowance)).toBe(true);
    expect(verifiesUpload({ size: 3, etag: kmsEtag, metadata: { sha256: 'bb' } }, single, allowance)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: null, metadata: ours }, single, allowance)).toBe(false);
    expect(verifiesUpload({ size: 3, etag: '0'.repeat(32), metadata: ours }, single, allowance)).toBe(false);
  });
});

describe('the catalog on opaque ETags', () => {
  it('is strict by default, and says for each exception when and what it relies on instead', () => {
    const exceptions = Object.entries(providerCatalog).filter(([, entry]) => entry.opaqueEtags !== null);
    expect(exceptions.map(([type]) => type).sort()).toEqual(['aws', 'gcs']);
    for (const [, entry] of exceptions) {
      expect(entry.opaqueEtags?.when).toMatch(/\w{3}/);
      expect(entry.opaqueEtags?.reliesOn).toMatch(/Content-MD5/);
    }
    expect(providerCatalog.minio.opaqueEtags).toBeNull();
  });

  it("grants a provider's allowance only at its own endpoint", () => {
    const settings = { endpoint: null };
    expect(opaqueEtagsFor({ entry: providerCatalog.aws, settings })).toBe(providerCatalog.aws.opaqueEtags);
    expect(opaqueEtagsFor({ entry: providerCatalog.aws, settings: { endpoint: 'https://s3.evil.example' } })).toBeNull();
    expect(opaqueEtagsFor({ entry: providerCatalog.minio, settings })).toBeNull();
  });
});

describe('recognising an object already at the key', () => {
  it('by our checksum backed by a content ETag, or by a plain MD5 ETag; never by size or metadata alone', () => {
    expect(sameContent({ size: 3, etag: md5hex, metadata: ours }, single)).toBe(true);
    expect(sameContent({ size: 3, etag: expectedEtag(parts), metadata: ours }, parts)).toBe(true);
    expect(sameContent({ size: 3, etag: md5hex, metadata: {} }, single)).toBe(true);
    expect(sameContent({ size: 3, etag: `${md5hex}-2`, metadata: {} }, single)).toBe(false);
    expect(sameContent({ size: 3, etag: null, metadata: {} }, single)).toBe(false);
    expect(sameContent({ size: 3, etag: md5hex, metadata: { sha256: 'bb' } }, single)).toBe(false);
  });

  it('refuses echoed metadata with a missing or opaque ETag unless the catalog allows opaque ones', () => {
    expect(sameContent({ size: 3, etag: null, metadata: ours }, single)).toBe(false);
    expect(sameContent({ size: 3, etag: kmsEtag, metadata: ours }, single)).toBe(false);
    expect(sameContent({ size: 3, etag: `${'0'.repeat(32)}-7`, metadata: ours }, single)).toBe(false);
    expect(sameContent({ size: 3, etag: kmsEtag, metadata: ours }, single, providerCatalog.gcs.opaqueEtags)).toBe(true);
  });
});
