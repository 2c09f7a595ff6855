/**
 * One file's offload, start to end (ARCHITECTURE.md "How one file flows"): open → digest → plan → write
 * → verify → record → remove. Every step is a ledger state written before the next begins, so a restart
 * resumes from the last durable one. A failure throws a StepFailure naming the step; what to do about it
 * is the failure policy's call (failure-policy.ts), never this module's.
 */
import type { EngineEvents } from '../../shared/events';
import type { FileRecord } from '../../shared/ledger';
import type { Settings } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import type { Ledger } from '../ledger/ledger';
import type { ProviderSession } from '../providers/provider-session';
import { digestFile, readAndDigest, READ_INTO_MEMORY_MAX_BYTES, type FileDigest } from '../storage/file-digest';
import { FileChanged, LocalFile } from '../storage/local-file';
import { classifyS3Error } from '../storage/s3-errors';
import { WholeMd5OnDemand } from '../storage/whole-md5';
import type { Readable } from 'node:stream';
import { contentTypeFor } from './content-type';
import { StepFailure } from './job-errors';
import { fileLockKey, type KeyLock } from './key-lock';
import { removeLocalCopy } from './local-removal';
import { policyFor } from '../retention/policy-for';
import { buildKey, publicUrlFor } from './object-key';
import { objectMetadata, opaqueEtagsFor } from './remote-match';
import { createOnlyFirst, partSizeFor, planWrite, verifyWritten } from './write-plan';

/** What a job needs from the engine. */
export interface JobContext {
  ledger: Ledger;
  /** Read live (see EngineOptions.settings). */
  settings: () => Readonly<Settings>;
  events: TypedEmitter<EngineEvents>;
  keyLock: KeyLock;
  throttle: ((stream: Readable) => Readable) | undefined;
  trash: ((path: string, restorePath: string) => Promise<void>) | undefined;
  sessionFor(providerId: string): Promise<ProviderSession>;
  /** Aborts the file's recorded multipart upload, if any. */
  abandonMultipart(id: number): Promise<void>;
}

/** How many times a write refused by `If-None-Match` (someone wrote the key meanwhile) is planned again. */
const MAX_WRITE_ROUNDS = 3;

/** Offloads file `id`; throws StepFailure (with the step it failed in) on any failure. */
export async function offloadFile(ctx: JobContext, id: number, signal: AbortSignal): Promise<void> {
  const step = { name: 'preparing' };
  try {
    const row = ctx.ledger.get(id)!;
    const session = await ctx.sessionFor(row.providerId!);
    step.name = 'reading the file';
    // Opened once, without following links: every later step reads or checks this handle, not the path.
    const file = await LocalFile.open(row.path, row.watchRoot, row);
    try {
      // A multipart digest leaves the whole-file MD5 out: the job's store fills it in when a HEAD's ETag asks.
      const wholeMd5 = new WholeMd5OnDemand(file, signal);
      await new Job(ctx, id, file, { ...session, store: wholeMd5.around(session.store) }, signal, step, wholeMd5).run(row);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new StepFailure(step.name, error);
  }
}

class Job {
  /** A small file's bytes, read once for its digest and its PUT (run), until they are written. */
  private bytes: Buffer | null = null;

  constructor(
    private readonly ctx: JobContext,
    private readonly id: number,
    private readonly file: LocalFile,
    private readonly session: ProviderSession,
    private readonly signal: AbortSignal,
    private readonly step: { name: string },
    private readonly wholeMd5: WholeMd5OnDemand,
  ) {}

  private emit(row: FileRecord): FileRecord {
    this.ctx.events.emit('fileChanged', row);
    return row;
  }

  async run(startRow: FileRecord): Promise<void> {
    const { ledger } = this.ctx;
    const settings = this.ctx.settings();
    const { provider } = this.session;
    const row = this.emit(ledger.transition(this.id, 'uploading', { attempts: startRow.attempts + 1, bucket: provider.bucket }));
    const partSize = partSizeFor(row.size, settings.upload, provider.entry);
    // Hashed in a worker thread. A small file for one PUT is read into memory once: the bytes hashed are
    // the bytes sent (their Content-MD5 is theirs), and the file is not read a second time.
    let digest: FileDigest;
    if (partSize === null && row.size <= READ_INTO_MEMORY_MAX_BYTES) {
      const read = await readAndDigest(this.file, row.size, this.signal);
      digest = read.digest;
      this.bytes = read.bytes;
    } else {
      digest = await digestFile(this.file, partSize, this.signal, { multipartMd5: false });
    }
    if (digest.size !== row.size || (await this.file.changedSince(row))) throw new FileChanged(row.path);
    this.wholeMd5.track(digest, row);

    const baseKey = buildKey({ prefix: provider.settings.keyPrefix, template: provider.settings.keyTemplate, relPath: row.relPath, sha256: digest.sha256, mtimeMs: row.mtimeMs });
    ledger.patch(this.id, { sha256: digest.sha256, key: baseKey });
    // Two local files can map to one key (NFD and NFC spellings of a name): offload them one after the
    // other, so the conflict check sees the first one's object even where writes are not conditional.
    const releaseKey = await this.ctx.keyLock.acquire(baseKey);
    try {
      const written = await this.write(row, digest, baseKey);
      this.bytes = null; // sent: not held through verification and removal
      if (written) await this.verifyAndRecord(written.key, written.uploaded, digest);
    } finally {
      releaseKey();
    }
  }

  /** Plans and writes; null when the conflict policy keeps the other object (state `conflict`). */
  private async write(row: FileRecord, digest: FileDigest, baseKey: string): Promise<{ key: string; uploaded: boolean } | null> {
    const { ledger } = this.ctx;
    const settings = this.ctx.settings();
    const { provider, store } = this.session;
    this.step.name = 'checking the bucket';
    const observed = ledger.providerFact(provider.settings.id, 'conditionalWrites');
    // A small file on a provider seen to honour create-only writes is written without a look first: its
    // write is the conflict check, and a 412 brings it back here to plan (write-plan.ts createOnlyFirst).
    // `row` is as this attempt began: a key there was planned by an earlier one.
    let unlooked = createOnlyFirst({ key: baseKey, digest, conditionalWritesObserved: observed, keyedBefore: row.key !== null });
    const rounds = MAX_WRITE_ROUNDS + (unlooked ? 1 : 0);
    for (let round = 0; ; round++) {
      const plan =
        unlooked ??
        (await planWrite({
          store,
          key: baseKey,
          digest,
          // What the connection test observed beats what the catalog expects.
          conditionalWrites: observed ?? provider.entry.conditionalWrites,
          policy: settings.upload.conflictPolicy,
          opaqueEtags: opaqueEtagsFor(provider),
          signal: this.signal,
        }));
      unlooked = null;
      if (plan.action === 'conflict') {
        this.emit(ledger.transition(this.id, 'conflict', { key: baseKey, errorCode: 'conflict', lastError: `an object with different content already exists at ${baseKey} (conflict policy: skip)` }));
        return null;
      }
      // Continue a multipart upload an earlier attempt or run left for this very key and part size;
      // any other recorded upload (another key, part size, or not needed at all) is aborted.
      const pending = ledger.multipartOf(this.id);
      const resumable = plan.action === 'upload' && digest.partSize !== null && pending?.key === plan.key && pending.partSize === digest.partSize;
      if (pending && !resumable) await this.ctx.abandonMultipart(this.id);
      if (plan.action === 'identical') return { key: plan.key, uploaded: false };
      this.step.name = 'uploading';
      try {
        await this.upload(row, digest, plan.key, plan.ifNoneMatch, resumable ? pending?.uploadId : undefined);
        return { key: plan.key, uploaded: true };
      } catch (error) {
        // Someone wrote the key between our check and our write: look again (bounded).
        if (classifyS3Error(error).kind === 'exists' && round < rounds) {
          await this.ctx.abandonMultipart(this.id);
          continue;
        }
        throw error;
      }
    }
  }

  private async upload(row: FileRecord, digest: FileDigest, key: string, ifNoneMatch: boolean, resumeUploadId: string | undefined): Promise<void> {
    const { ledger, events } = this.ctx;
    const settings = this.ctx.settings();
    const { provider, store } = this.session;
    await store.upload({
      key,
      source: this.file,
      bytes: this.bytes ?? undefined,
      digest,
      contentType: contentTypeFor(row.relPath),
      metadata: objectMetadata(digest.sha256, row.mtimeMs),
      ifNoneMatch,
      storageClass: provider.settings.storageClass ?? undefined,
      concurrency: Math.max(2, settings.upload.concurrency),
      signal: this.signal,
      throttle: this.ctx.throttle,
      onProgress: (sentBytes) => events.emit('uploadProgress', { id: this.id, path: row.path, sentBytes, totalBytes: digest.size }),
      onMultipartStarted: (uploadId) => ledger.patch(this.id, { uploadId, key, partSize: digest.partSize }),
      resumeUploadId,
    });
    if (digest.partSize !== null) ledger.patch(this.id, { uploadId: null }); // single PUTs record none
    // Written while we read (an append leaves the uploaded range consistent, so Content-MD5 cannot
    // tell): remove the object we just created and wait for the file to finish (RELIABILITY.md case 5).
    if (await this.file.changedSince(row)) {
      await store.delete(key).catch(() => undefined); // ours: the key was free (or being overwritten)
      throw new FileChanged(row.path);
    }
  }

  private async verifyAndRecord(key: string, uploaded: boolean, digest: FileDigest): Promise<void> {
    const { ledger } = this.ctx;
    const { provider, store } = this.session;
    const opaqueEtags = opaqueEtagsFor(provider);
    this.step.name = 'verifying the upload';
    this.emit(ledger.transition(this.id, 'verifying', { key }));
    await verifyWritten({ store, key, uploaded, digest, opaqueEtags, signal: this.signal });
    const url = provider.settings.publicUrl ? publicUrlFor(provider.settings.publicUrl, key) : null;
    // A retention pass or a deletion from the bucket waits until this upload's end is recorded.
    const releaseFile = await this.ctx.keyLock.acquire(fileLockKey(this.id));
    try {
      await this.recordAndRemove(key, url, digest);
    } finally {
      releaseFile();
    }
  }

  private async recordAndRemove(key: string, url: string | null, digest: FileDigest): Promise<void> {
    const { ledger } = this.ctx;
    const { provider, store } = this.session;
    const opaqueEtags = opaqueEtagsFor(provider);
    const current = ledger.get(this.id)!;
    const policy = policyFor(this.ctx.settings(), current.watchRoot);
    // Right away, unless pinned; the other rules remove later, in a retention pass (src/core/retention).
    const removing = policy.rightAway && !ledger.pins.isPinned(current.path);
    // Removing the local copy next relies on this state surviving even a power cut: commit it durably.
    const row = this.emit(ledger.transition(this.id, 'offloaded', { key, url, sha256: digest.sha256, lastError: null, errorCode: null }, undefined, { durable: removing }));
    if (!removing) return;
    this.step.name = 'removing the local copy';
    const outcome = await removeLocalCopy({ file: this.file, mtimeMs: row.mtimeMs, digest, store, key, opaqueEtags, trash: policy.moveToTrash ? this.ctx.trash : undefined }).catch(
      (error: unknown) => ({ removed: false as const, reason: `the local file could not be removed (${(error as Error).message})` }),
    );
    if (outcome.removed) this.emit(ledger.transition(this.id, 'local-removed'));
    else this.emit(ledger.transition(this.id, 'offloaded', { lastError: outcome.reason, errorCode: 'kept-local' }));
  }
}
