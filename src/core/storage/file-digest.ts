/**
 * Reads a file once and computes everything upload and verification need: the whole-content SHA-256
 * (stored as metadata, the product's own checksum), the whole MD5 (Content-MD5 of a single PUT) and the
 * MD5 of every multipart part (Content-MD5 of each UploadPart). Sending these digests makes the server
 * refuse any byte that differs from what was hashed, so a file that changes mid-upload never commits.
 */
import { createHash } from 'node:crypto';
import { pathSource, type ByteSource } from './local-file';

export interface FileDigest {
  size: number;
  sha256: string;
  md5: Buffer;
  /** One MD5 per part when uploaded in parts of `partSize`; empty for a single PUT. */
  partMd5s: Buffer[];
  partSize: number | null;
}

/** `source` is the engine's opened file (local-file.ts); a path is read as it is (tests, tools). */
export async function digestFile(source: ByteSource | string, partSize: number | null, signal?: AbortSignal): Promise<FileDigest> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const partMd5s: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  let size = 0;
  const stream = (typeof source === 'string' ? pathSource(source) : source).stream(0, undefined, signal);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
    size += chunk.length;
    if (partSize === null) continue;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partSize) {
        partMd5s.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (partSize !== null && (inPart > 0 || partMd5s.length === 0)) partMd5s.push(part.digest());
  return { size, sha256: sha.digest('hex'), md5: md5.digest(), partMd5s, partSize };
}

/** The ETag S3-compatible servers give an object uploaded this way (quotes stripped). */
export function expectedEtag(digest: FileDigest): string {
  if (digest.partSize === null) return digest.md5.toString('hex');
  const combined = createHash('md5').update(Buffer.concat(digest.partMd5s)).digest('hex');
  return `${combined}-${digest.partMd5s.length}`;
}

/**
 * Part size for a file: at least `preferred`, grown in whole MiB so no file needs more than 10,000
 * parts (the S3 limit).
 */
export function choosePartSize(size: number, preferred: number): number {
  const MiB = 1024 * 1024;
  const needed = Math.ceil(size / 10_000 / MiB) * MiB;
  return Math.max(preferred, needed);
}
