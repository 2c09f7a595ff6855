/**
 * When does a remote object hold the same bytes as a local file? Verification after our own upload is
 * strict; recognising an object that was already there (a restart, or another machine) is lenient about
 * how it was uploaded but never guesses.
 */
import type { FileDigest } from '../storage/file-digest';
import { expectedEtag } from '../storage/file-digest';
import type { RemoteObject } from '../storage/s3-object-store';

/** Object metadata the engine writes (x-amz-meta-*). */
export const META_SHA256 = 'sha256';
export const META_MTIME = 'mtime';

const md5Etag = /^[0-9a-f]{32}$/;
const multipartEtag = /^[0-9a-f]{32}-\d+$/;

/** Our upload landed intact: size, our checksum metadata, and the ETag the server computed from the bytes. */
export function verifiesUpload(remote: RemoteObject | null, digest: FileDigest): boolean {
  if (!remote || remote.size !== digest.size || remote.metadata[META_SHA256] !== digest.sha256) return false;
  // An ETag computed from content must agree with ours: S3 and RGW give a multipart object
  // md5(part md5s)-N, some servers (s3rver) the whole file's MD5; either one proves the bytes. A server
  // that returns no ETag or an opaque one (SSE-KMS) is judged on size + checksum, both guarded on the
  // way in by Content-MD5.
  if (remote.etag && multipartEtag.test(remote.etag)) return remote.etag === expectedEtag(digest);
  if (remote.etag && md5Etag.test(remote.etag)) return remote.etag === digest.md5.toString('hex');
  return true;
}

/** An existing object provably holds these bytes (uploaded by us earlier, or a plain single PUT). */
export function sameContent(remote: RemoteObject, digest: FileDigest): boolean {
  if (remote.size !== digest.size) return false;
  const md5 = digest.md5.toString('hex');
  if (remote.metadata[META_SHA256] !== undefined) {
    if (remote.metadata[META_SHA256] !== digest.sha256) return false;
    return !(remote.etag && md5Etag.test(remote.etag)) || remote.etag === md5;
  }
  return remote.etag !== null && md5Etag.test(remote.etag) && remote.etag === md5;
}
