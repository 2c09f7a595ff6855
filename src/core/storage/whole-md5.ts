/**
 * The whole-file MD5 of a file sent in parts, computed only when an answer needs it. A multipart upload
 * never sends it (each part carries its own Content-MD5), and S3 and RGW give such an object the ETag
 * md5(part MD5s)-N. Two things still compare a multipart digest with a plain MD5 ETag
 * (offload/remote-match.ts): an object another tool uploaded in one PUT, and servers that give a
 * multipart object the whole file's MD5 as its ETag (s3rver). Both show themselves in a HEAD answer, so
 * the store a job uses fills the MD5 in right after such a HEAD, before anything compares it: the match
 * decides exactly as if it had been computed with the other digests, and a file whose server never asks
 * (RGW, S3) is hashed one MD5 pass less.
 */
import { digestFile, type FileDigest } from './file-digest';
import { FileChanged, type FileStamp, type LocalFile } from './local-file';
import type { RemoteObject, S3ObjectStore } from './s3-object-store';

/** The ETag of an object sent in one PUT (and of s3rver's multipart objects): an MD5 in hex. */
const PLAIN_MD5_ETAG = /^[0-9a-f]{32}$/;

export class WholeMd5OnDemand {
  private digest: FileDigest | null = null;
  private stamp: FileStamp | null = null;
  private filling: Promise<void> | null = null;

  constructor(
    private readonly file: LocalFile,
    private readonly signal: AbortSignal,
  ) {}

  /** The digest to complete from now on, and the size and mtime the file must still have when it is. */
  track(digest: FileDigest, stamp: FileStamp): void {
    this.digest = digest;
    this.stamp = { size: stamp.size, mtimeMs: stamp.mtimeMs };
  }

  /**
   * `store`, whose head() fills in the tracked digest's MD5 first when the object's ETag is a plain MD5
   * of a same-size object. Everything else is `store` itself (its prototype).
   */
  around(store: S3ObjectStore): S3ObjectStore {
    const wrapped = Object.create(store) as S3ObjectStore;
    wrapped.head = async (key, signal) => {
      const remote = await store.head(key, signal);
      if (remote && this.wanted(remote)) await (this.filling ??= this.fill().finally(() => (this.filling = null)));
      return remote;
    };
    return wrapped;
  }

  private wanted(remote: RemoteObject): boolean {
    const d = this.digest;
    return d !== null && d.md5 === null && remote.size === d.size && remote.etag !== null && PLAIN_MD5_ETAG.test(remote.etag);
  }

  /**
   * Hashes the opened file again (in a hashing thread). The SHA-256 is computed alongside and must be the
   * one the upload carries: the MD5 then describes the very bytes the SHA-256 does, even if the file was
   * rewritten meanwhile without its size or mtime showing it. A file that changed is not offloaded now.
   */
  private async fill(): Promise<void> {
    const digest = this.digest!;
    const again = await digestFile(this.file, null, this.signal);
    if (again.size !== digest.size || again.sha256 !== digest.sha256 || (await this.file.changedSince(this.stamp!))) throw new FileChanged(this.file.path);
    digest.md5 = again.md5;
  }
}
