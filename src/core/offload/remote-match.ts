/**
 * When does a remote object hold the same bytes as a local file? Size and our SHA-256 metadata are
 * checked first, but they prove nothing alone: a server receives both with the upload and can echo them
 * back without storing a byte. What proves the bytes is an ETag our own digests predict. Recognising an
 * object that was already there (a restart, or another machine) is lenient about how it was uploaded but
 * never guesses.
 */
import type { OpaqueEtags, ProviderEntry } from '../../shared/providers/catalog';
import type { ProviderSettings } from '../../shared/settings';
import type { FileDigest } from '../storage/file-digest';
import { expectedEtag } from '../storage/file-digest';
import type { RemoteObject } from '../storage/s3-object-store';

/** Object metadata the engine writes (x-amz-meta-*). */
export const META_SHA256 = 'sha256';
export const META_MTIME = 'mtime';

/** The metadata every object the engine writes carries: the file's SHA-256 and its modification time. */
export function objectMetadata(sha256: string, mtimeMs: number): Record<string, string> {
  return { [META_SHA256]: sha256, [META_MTIME]: new Date(mtimeMs).toISOString() };
}

const md5Etag = /^[0-9a-f]{32}$/;
const multipartEtag = /^[0-9a-f]{32}-\d+$/;

/**
 * An ETag computed from the bytes we read: the whole file's MD5 (a single PUT; some servers, s3rver
 * among them, give it for multipart too) or, for our multipart upload, md5(part MD5s)-N as S3 and RGW do.
 * A multipart digest may come without the whole MD5; the engine's store fills it in after a HEAD whose
 * ETag is a plain MD5 (storage/whole-md5.ts), so by the time this runs it is there when it matters.
 */
function predicted(etag: string | null, digest: FileDigest): boolean {
  if (!etag) return false;
  return (digest.md5 !== null && etag === digest.md5.toString('hex')) || (digest.partSize !== null && etag === expectedEtag(digest));
}

/** An ETag in neither content form (SSE-KMS on S3, Cloud Storage multipart): it says nothing about the bytes. */
function opaque(etag: string | null): boolean {
  return etag !== null && etag !== '' && !md5Etag.test(etag) && !multipartEtag.test(etag);
}

/** The ETag backs the metadata: predicted, or opaque where the provider's catalog entry allows it. */
function etagBacks(etag: string | null, digest: FileDigest, opaqueEtags: OpaqueEtags | null): boolean {
  return predicted(etag, digest) || (opaqueEtags !== null && opaque(etag));
}

/**
 * The opaque-ETag allowance for a provider: its catalog entry's, only at the provider's own endpoint (a
 * custom endpoint could be any server). Pass it to verifiesUpload / sameContent; without it they are strict.
 */
export function opaqueEtagsFor(provider: { entry: Pick<ProviderEntry, 'opaqueEtags'>; settings: Pick<ProviderSettings, 'endpoint'> }): OpaqueEtags | null {
  return provider.settings.endpoint ? null : provider.entry.opaqueEtags;
}

/**
 * Our upload landed intact: size, our checksum metadata, and the ETag our digests predict. A missing or
 * opaque ETag fails unless `opaqueEtags` (from the catalog, via opaqueEtagsFor) says the provider gives
 * them and names what it relies on instead.
 */
export function verifiesUpload(remote: RemoteObject | null, digest: FileDigest, opaqueEtags: OpaqueEtags | null = null): boolean {
  if (!remote || remote.size !== digest.size || remote.metadata[META_SHA256] !== digest.sha256) return false;
  return etagBacks(remote.etag, digest, opaqueEtags);
}

/**
 * An existing object provably holds these bytes: our SHA-256 metadata backed by an ETag as in
 * verifiesUpload, or (an object someone else put) a plain MD5 ETag equal to the file's MD5. An object we
 * uploaded in parts of another size is not recognised; the conflict policy then decides (keep-both makes
 * a second copy), which costs a duplicate, never a file.
 */
export function sameContent(remote: RemoteObject, digest: FileDigest, opaqueEtags: OpaqueEtags | null = null): boolean {
  if (remote.size !== digest.size) return false;
  if (remote.metadata[META_SHA256] !== undefined) return remote.metadata[META_SHA256] === digest.sha256 && etagBacks(remote.etag, digest, opaqueEtags);
  return remote.etag !== null && md5Etag.test(remote.etag) && digest.md5 !== null && remote.etag === digest.md5.toString('hex');
}
