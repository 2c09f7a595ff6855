/**
 * One stored file's move from its provider (SOURCE) to another (TARGET), start to end (docs/move.md):
 *   journal → bytes → write → verify → repoint → delete the source.
 * - Bytes: the local copy when it is still here and hashes to the recorded SHA-256; otherwise the source
 *   object, streamed (GET → PUT / multipart, checked against the recorded SHA-256 before the object
 *   becomes visible: streamed-upload.ts).
 * - Write and verify exactly as an upload: the same key rules, part size, metadata and checksums, a
 *   create-only write where the provider honours it, the conflict policy, and identical content already
 *   at the key counted as done.
 * - Only then does the log point at TARGET (one durable transaction with the journal's step), and only
 *   after that is the source object deleted (when asked, and only if it is still ours).
 * At every instant the file is intact on SOURCE or verified on TARGET; the journal (move-journal.ts)
 * lets a later run finish whatever a stopped one left.
 */
import type { Readable } from 'node:stream';
import type { FileRecord } from '../../shared/ledger';
import type { MoveFileResult } from '../../shared/move';
import type { Settings } from '../../shared/settings';
import { CoreError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import type { ProviderSession } from '../providers/provider-session';
import { digestFile, type FileDigest } from '../storage/file-digest';
import { LocalFile } from '../storage/local-file';
import { classifyS3Error } from '../storage/s3-errors';
import { SourceMismatch } from '../storage/streamed-upload';
import { contentTypeFor } from './content-type';
import type { KeyLock } from './key-lock';
import { buildKey, publicUrlFor } from './object-key';
import { META_SHA256, objectMetadata, opaqueEtagsFor } from './remote-match';
import { partSizeFor, planWrite, verifyWritten } from './write-plan';

export interface MoveFileContext {
  ledger: Ledger;
  settings: () => Readonly<Settings>;
  keyLock: KeyLock;
  throttle: ((stream: Readable) => Readable) | undefined;
  source: ProviderSession;
  target: ProviderSession;
  deleteSource: boolean;
  signal: AbortSignal;
  /** Bytes of this file written to the target so far. */
  onProgress(sentBytes: number): void;
}

/** How many times a write refused by `If-None-Match` (someone wrote the key meanwhile) is planned again. */
const MAX_WRITE_ROUNDS = 3;

/** A different object is at the key on the target and the conflict policy is "skip". */
export class MoveConflict extends CoreError {
  constructor(target: string, key: string) {
    super('conflict', `a different object is already at ${key} on ${target} (conflict policy: skip); the file stays where it was`, 'Set the conflict policy to keep both or overwrite, or clean up that key on the target, then move again.');
  }
}

/** Moves one verified row of the source provider; throws when it could not (the row is left as it was). */
export async function moveStoredFile(ctx: MoveFileContext, row: FileRecord): Promise<MoveFileResult> {
  const { ledger, source, target } = ctx;
  if (!row.sha256 || !row.key) throw new CoreError('no-checksum', `${row.path}: the log has no SHA-256 or key for it, so a copy could not be verified; it was not moved`, 'Offload the file again from this machine, if it is still here.');
  const expected = { size: row.size, sha256: row.sha256 };
  const from = { bucket: row.bucket ?? source.store.bucket, key: row.key };
  ledger.moves.begin({ fileId: row.id, from: source.provider.settings.id, to: target.provider.settings.id, deleteSource: ctx.deleteSource, fromBucket: from.bucket, fromKey: from.key });

  const { provider } = target;
  const baseKey = buildKey({ prefix: provider.settings.keyPrefix, template: provider.settings.keyTemplate, relPath: row.relPath, sha256: row.sha256, mtimeMs: row.mtimeMs });
  const partSize = partSizeFor(row.size, ctx.settings().upload, provider.entry);
  const releaseKey = await ctx.keyLock.acquire(baseKey);
  let written: Written;
  try {
    const local = await openLocalCopy(row);
    try {
      const localDigest = local ? await digestFile(local, partSize, ctx.signal) : null;
      const copy = new Copy(ctx, row, from, expected, partSize, localDigest?.sha256 === row.sha256 && localDigest.size === row.size ? { file: local!, digest: localDigest } : null);
      written = await copy.write(baseKey);
      await verifyWritten({ store: target.store, key: written.key, uploaded: written.uploaded, digest: written.digest, opaqueEtags: opaqueEtagsFor(provider), signal: ctx.signal });
    } finally {
      await local?.close();
    }
  } finally {
    releaseKey();
  }

  // The same bucket and key is the same object (two providers on one bucket): never deleted as a "source".
  const sameObject = from.bucket === target.store.bucket && from.key === written.key;
  const deletePending = ctx.deleteSource && !sameObject;
  const url = provider.settings.publicUrl ? publicUrlFor(provider.settings.publicUrl, written.key) : null;
  const detail = `moved from ${source.provider.settings.id} (${from.bucket}/${from.key}) to ${provider.settings.id} (${target.store.bucket}/${written.key})${written.uploaded ? '' : '; identical content was there already'}`;
  // Durable: deleting the source next relies on the log pointing at the target even after a power cut.
  const moved = ledger.transition(row.id, row.state, { providerId: provider.settings.id, bucket: target.store.bucket, key: written.key, url }, detail, {
    durable: true,
    alongside: () => (deletePending ? ledger.moves.markCopied(row.id) : ledger.moves.end(row.id)),
  });
  const result: MoveFileResult = { id: row.id, path: moved.path, outcome: written.uploaded ? 'moved' : 'already-there', size: row.size, key: written.key, url };
  if (!deletePending) return result;
  const kept = await deleteSourceCopy(ledger, source, row.id, from, expected.sha256);
  return kept ? { ...result, code: 'source-kept', message: kept } : result;
}

/**
 * Deletes a moved file's source object (its move entry is `copied`): only when it still holds the file's
 * bytes by its checksum metadata, so an object someone put there since is never deleted. Returns null
 * when done, or why the source copy was kept (the entry then stays for the next run, unless the object
 * is gone or no longer ours).
 */
export async function deleteSourceCopy(ledger: Ledger, source: ProviderSession, fileId: number, from: { bucket: string; key: string }, sha256: string): Promise<string | null> {
  const where = `${from.bucket}/${from.key} on ${source.provider.settings.id}`;
  try {
    const head = await source.store.head(from.key);
    if (head && head.metadata[META_SHA256] !== sha256) {
      ledger.moves.end(fileId);
      return `the source copy at ${where} was not deleted: the object there changed since the move (someone wrote it again)`;
    }
    if (head) await source.store.delete(from.key);
  } catch (error) {
    return `its source copy at ${where} could not be deleted yet (${classifyS3Error(error).message}); the next offload migrate run deletes it`;
  }
  ledger.moves.end(fileId);
  ledger.note(fileId, `deleted the source copy ${where} after the move`);
  return null;
}

/** The row's local copy when it is still here unchanged (opened safely, local-file.ts), else null. */
async function openLocalCopy(row: FileRecord): Promise<LocalFile | null> {
  try {
    return await LocalFile.open(row.path, row.watchRoot, row);
  } catch {
    return null; // gone, changed or refused: the source object is read instead
  }
}

interface Written {
  key: string;
  uploaded: boolean;
  digest: FileDigest;
}

/** Writing the file's bytes to the target: planning, the conflict policy, and the bounded retries of a refused create-only write. */
class Copy {
  constructor(
    private readonly ctx: MoveFileContext,
    private readonly row: FileRecord,
    private readonly from: { bucket: string; key: string },
    private readonly expected: { size: number; sha256: string },
    private readonly partSize: number | null,
    /** The local copy, proven to hold the recorded bytes. */
    private readonly local: { file: LocalFile; digest: FileDigest } | null,
  ) {}

  private get conditionalWrites(): boolean {
    const { provider } = this.ctx.target;
    return this.ctx.ledger.providerFact(provider.settings.id, 'conditionalWrites') ?? provider.entry.conditionalWrites;
  }

  private get describe(): string {
    return `the object ${this.from.bucket}/${this.from.key} on ${this.ctx.source.provider.settings.id}`;
  }

  async write(baseKey: string): Promise<Written> {
    let digest = this.local?.digest ?? null;
    for (let round = 0; ; round++) {
      try {
        // The usual case: nothing at the key and no local copy. One pass from the source, hashed as sent.
        if (!digest && !(await this.ctx.target.store.head(baseKey, this.ctx.signal))) return await this.streamFromSource(baseKey);
        // The key is taken (an earlier run, or another file): what we hold must be known to compare.
        digest ??= await this.digestSource();
        return await this.planned(baseKey, digest);
      } catch (error) {
        if (classifyS3Error(error).kind === 'exists' && round < MAX_WRITE_ROUNDS) continue;
        throw error;
      }
    }
  }

  private async streamFromSource(key: string): Promise<Written> {
    const { ctx, row } = this;
    const body = await ctx.source.store.read(this.from.key, undefined, ctx.signal);
    const digest = await ctx.target.store.uploadStreamed({
      key,
      body: body as AsyncIterable<Buffer>,
      expected: this.expected,
      describe: this.describe,
      partSize: this.partSize,
      ...this.writeOptions(),
      ifNoneMatch: this.conditionalWrites,
      onMultipartStarted: (uploadId) => ctx.ledger.moves.setUpload(row.id, { key, uploadId }),
    });
    ctx.ledger.moves.setUpload(row.id, null);
    return { key, uploaded: true, digest };
  }

  /** Hashes the source object (a read without writing), refusing one that is not the recorded file. */
  private async digestSource(): Promise<FileDigest> {
    const digest = await digestFile(this.ctx.source.store.byteSource(this.from.key), this.partSize, this.ctx.signal);
    if (digest.sha256 !== this.expected.sha256 || digest.size !== this.expected.size) throw new SourceMismatch(this.describe, digest, this.expected);
    return digest;
  }

  private async planned(baseKey: string, digest: FileDigest): Promise<Written> {
    const { ctx, row } = this;
    const plan = await planWrite({
      store: ctx.target.store,
      key: baseKey,
      digest,
      conditionalWrites: this.conditionalWrites,
      policy: ctx.settings().upload.conflictPolicy,
      opaqueEtags: opaqueEtagsFor(ctx.target.provider),
      signal: ctx.signal,
    });
    if (plan.action === 'conflict') throw new MoveConflict(ctx.target.provider.settings.id, baseKey);
    if (plan.action === 'identical') return { key: plan.key, uploaded: false, digest };
    await ctx.target.store.upload({
      key: plan.key,
      source: this.local?.file ?? ctx.source.store.byteSource(this.from.key),
      digest,
      ...this.writeOptions(),
      ifNoneMatch: plan.ifNoneMatch,
      onMultipartStarted: (uploadId) => ctx.ledger.moves.setUpload(row.id, { key: plan.key, uploadId }),
    });
    ctx.ledger.moves.setUpload(row.id, null);
    return { key: plan.key, uploaded: true, digest };
  }

  /** What every write of the file to the target carries (as an upload's would). */
  private writeOptions() {
    const { ctx, row } = this;
    const settings = ctx.settings();
    return {
      contentType: contentTypeFor(row.relPath),
      metadata: objectMetadata(this.expected.sha256, row.mtimeMs),
      storageClass: ctx.target.provider.settings.storageClass ?? undefined,
      concurrency: Math.max(2, settings.upload.concurrency),
      signal: ctx.signal,
      throttle: ctx.throttle,
      onProgress: (sent: number) => ctx.onProgress(sent),
    };
  }
}
