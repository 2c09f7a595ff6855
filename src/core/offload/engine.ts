/**
 * The offload engine: finished files in, verified remote copies out (ARCHITECTURE.md "How one file
 * flows"). Every step is a ledger state written before the next step starts, so a restart resumes from
 * the last durable state. A failure never touches the local file; it is retried with backoff and, after
 * the last attempt, left `failed` with its cause.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { rename, stat } from 'node:fs/promises';
import type { EngineEvents, EngineStatus } from '../../shared/events';
import { finalStates, type FileRecord } from '../../shared/ledger';
import type { Settings, WatchFolder } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import { LedgerWriteError, type Ledger } from '../ledger/ledger';
import { providerReadiness } from '../../shared/providers/validate';
import { activeProvider, credentialsFor, resolveProvider, s3ClientConfig, type ResolvedProvider } from '../providers/resolve-provider';
import { envPrefix, type SecretStore } from '../secrets/secret-store';
import { choosePartSize, digestFile, type FileDigest } from '../storage/file-digest';
import { classifyS3Error, isUnreachable, type ClassifiedError } from '../storage/s3-errors';
import { S3ObjectStore } from '../storage/s3-object-store';
import { FolderWatcher, type FinishedFile } from '../watch/folder-watcher';
import { contentTypeFor } from './content-type';
import { KeyLock } from './key-lock';
import { removeLocalCopy, REMOVING_SUFFIX } from './local-removal';
import { buildKey, KeyError, publicUrlFor, suffixedKey } from './object-key';
import { META_MTIME, META_SHA256, sameContent, verifiesUpload } from './remote-match';
import { createThrottle } from './throttle';

export interface EngineOptions {
  settings: Settings;
  ledger: Ledger;
  secrets: SecretStore;
  events: TypedEmitter<EngineEvents>;
  /** Moves a file to the OS trash (providers with moveToTrash). */
  trash?: (path: string) => Promise<void>;
  createClient?: (config: S3ClientConfig) => S3Client;
}

interface Target {
  provider: ResolvedProvider;
  store: S3ObjectStore;
}

/** The active provider when it is ready, else why new files stay local. */
type StorageCheck = { ok: true; providerId: string } | { ok: false; reason: string; local: boolean };

/** The file changed between settling and reading; the watcher will report it again when finished. */
class FileChanged extends Error {}

/** The file's provider cannot be used at all (removed, incomplete, no credentials). */
class ProviderUnusable extends Error {}

/** The uploaded object did not verify; retried like a transient failure. */
class VerifyMismatch extends Error {}

/** Which step of offloading a file failed, so the log can say "while verifying the upload". */
class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly failure: unknown,
  ) {
    super(step);
  }
}

const MAX_KEEP_BOTH = 1000;
/** Throttled retries that do not spend attempts, per file, before they start to. */
const MAX_THROTTLED = 10;

export class OffloadEngine {
  private readonly watchers: FolderWatcher[] = [];
  private readonly queue: number[] = [];
  private readonly queued = new Set<number>();
  private readonly active = new Map<number, AbortController>();
  private readonly retryTimers = new Map<number, NodeJS.Timeout>();
  private readonly targets = new Map<string, Target>();
  private readonly clients: S3Client[] = [];
  private readonly throttle: ReturnType<typeof createThrottle> | undefined;
  private paused = false;
  private stopped = false;
  /**
   * While the bucket cannot be reached: files held back, the single probe timer, and its delay (doubled
   * each time a probe fails, up to a minute).
   */
  private offline: { retryMs: number; held: number[]; timer: NodeJS.Timeout | null; probing: number | null } | null = null;
  /** Throttled retries per file (503 SlowDown, 429): they back off without spending attempts, up to a cap. */
  private readonly throttled = new Map<number, number>();
  private readonly keyLock = new KeyLock();
  private localFallbackNoticed = '';
  /** Set when the ledger cannot be written: no more work starts, since no state could be recorded. */
  private halted: LedgerWriteError | null = null;
  /** Checked once at start: settings are fixed for an engine's life. */
  private storage: StorageCheck = { ok: false, reason: 'not started', local: true };

  constructor(private readonly o: EngineOptions) {
    const limit = o.settings.upload.bandwidthLimitBytesPerSec;
    this.throttle = limit ? createThrottle(limit) : undefined;
  }

  private get settings(): Settings {
    return this.o.settings;
  }

  status(): EngineStatus {
    return { paused: this.paused, offline: this.offline !== null, queued: this.queue.length + this.retryTimers.size + (this.offline?.held.length ?? 0), active: this.active.size, activeStorage: this.settings.activeStorage };
  }

  /** Why the engine stopped taking work (the ledger cannot be written), or null. */
  haltedBy(): string | null {
    return this.halted?.message ?? null;
  }

  /** True when nothing is settling, queued, waiting to retry or uploading (or nothing more will happen). */
  isIdle(): boolean {
    if (this.halted) return this.active.size === 0;
    return this.queue.length === 0 && this.active.size === 0 && this.retryTimers.size === 0 && !this.offline && this.watchers.every((w) => w.settling === 0);
  }

  /** Recovers what a previous run left unfinished, then starts watching every folder. */
  async start(): Promise<void> {
    this.storage = await this.checkActiveStorage();
    await this.recoverUnfinished();
    await Promise.all(this.settings.watchFolders.map((folder) => this.watchFolder(folder)));
  }

  /** Readiness of the active storage (PRODUCT.md §1): enabled, fields valid, credentials present. */
  private async checkActiveStorage(): Promise<StorageCheck> {
    const active = activeProvider(this.settings);
    if (!active.ok) return { ok: false, reason: active.reason, local: 'local' in active };
    const p = active.provider.settings;
    const accessKeyId = p.accessKeyId ?? (await this.o.secrets.getAccessKeyId(p.id));
    const hasSecret = (await this.o.secrets.getSecret(p.id).catch(() => null)) !== null;
    const { status, issues } = providerReadiness({ ...p, accessKeyId }, hasSecret);
    if (status === 'ready') return { ok: true, providerId: p.id };
    const first = issues[0];
    return { ok: false, reason: `provider "${p.id}" is not ready${first ? ` (${first.field}: ${first.message})` : ''}`, local: false };
  }

  private async watchFolder(folder: WatchFolder): Promise<void> {
    try {
      if (!(await stat(folder.path)).isDirectory()) throw new Error('not a folder');
    } catch (error) {
      this.notice('error', 'watch-folder-missing', `Watch folder ${folder.path} cannot be watched (${(error as Error).message}); nothing is offloaded from it.`);
      return;
    }
    const known = this.o.ledger.markRootSeen(folder.path);
    const watcher = new FolderWatcher(folder, this.settings.upload.settleMs, {
      onFinished: (file) => {
        try {
          this.onFinished(file, known);
        } catch (error) {
          this.haltOn(error);
        }
      },
      onNotice: (code, message) => this.notice('error', code, message),
      onLeftover: (path) => void this.restoreLeftover(path),
    });
    this.watchers.push(watcher);
    await watcher.start();
  }

  /**
   * Rows a previous run left mid-way are re-offered by the start-up scan. A multipart upload recorded for
   * a file that is still the same is kept, to be resumed; for a file that changed or vanished it is aborted.
   */
  private async recoverUnfinished(): Promise<void> {
    for (const row of this.o.ledger.unfinished()) {
      const now = await stat(row.path).catch(() => null);
      const unchanged = now !== null && now.size === row.size && now.mtimeMs === row.mtimeMs;
      if (!unchanged) await this.abandonMultipart(row.id);
      if (!now) this.o.ledger.transition(row.id, 'vanished', { lastError: 'the file was gone when the companion restarted' });
    }
  }

  /**
   * Puts back a file an interrupted local removal had set aside. If something else now has its name,
   * both are kept and the user is told; nothing is deleted.
   */
  private async restoreLeftover(aside: string): Promise<void> {
    const original = aside.slice(0, -REMOVING_SUFFIX.length);
    const taken = await stat(original).then(() => true, () => false);
    if (taken) {
      this.notice('warning', 'leftover-kept', `${aside} was left by an interrupted removal and ${original} exists again: both were kept.`);
      return;
    }
    await rename(aside, original).catch((error: unknown) => this.notice('error', 'leftover-restore', `Could not restore ${original} from ${aside}: ${(error as Error).message}`));
  }

  /** Aborts a file's recorded multipart upload, if any (best effort: the server expires it anyway). */
  private async abandonMultipart(id: number): Promise<void> {
    const pending = this.o.ledger.multipartOf(id);
    const providerId = this.o.ledger.get(id)?.providerId;
    if (!pending || !providerId) return;
    const target = await this.targetFor(providerId).catch(() => null);
    await target?.store.abortMultipart(pending.key, pending.uploadId).catch(() => undefined);
    this.o.ledger.patch(id, { uploadId: null });
  }

  private onFinished(file: FinishedFile, rootWasKnown: boolean): void {
    if (this.stopped) return;
    const ledger = this.o.ledger;
    const latest = ledger.latestForPath(file.path);
    const unchanged = latest !== null && latest.size === file.size && latest.mtimeMs === file.mtimeMs;
    if (latest && unchanged && latest.state === 'offloaded' && this.removalPending(latest)) {
      // Verified, but the local removal did not happen (a crash): check the remote copy again, then remove.
      this.emitFile(ledger.transition(latest.id, 'queued'));
      this.enqueue(latest.id);
      return;
    }
    if (latest && unchanged && finalStates.has(latest.state)) return; // already handled this version
    if (latest && !finalStates.has(latest.state)) {
      // A version still in progress (a restart, or it changed before upload): continue with the new stamp.
      this.emitFile(ledger.transition(latest.id, 'queued', { size: file.size, mtimeMs: file.mtimeMs }));
      this.enqueue(latest.id);
      return;
    }
    const base = { path: file.path, watchRoot: file.root.path, relPath: file.relPath, size: file.size, mtimeMs: file.mtimeMs, detectedAt: file.firstSeenAt };
    if (file.symlink) {
      this.emitFile(ledger.insert({ ...base, state: 'skipped', errorCode: 'symlink', lastError: 'symbolic links are not followed or offloaded' }));
      return;
    }
    if (file.initial && !rootWasKnown && !file.root.offloadExisting) {
      this.emitFile(ledger.insert({ ...base, state: 'skipped', errorCode: 'existing', lastError: 'was already in the folder when watching began (turn on "also offload files already there")' }));
      return;
    }
    const active = this.storage;
    if (!active.ok) {
      const reason = `${active.reason}: the file stays local (Local fallback)`;
      if (active.local) {
        this.emitFile(ledger.insert({ ...base, state: 'skipped', providerId: 'local', errorCode: 'local' , lastError: 'active storage is Local (this machine)' }));
      } else {
        if (this.localFallbackNoticed !== reason) this.notice('warning', 'local-fallback', reason);
        this.localFallbackNoticed = reason;
        this.emitFile(ledger.insert({ ...base, state: 'skipped', providerId: 'local', errorCode: 'provider-unusable', lastError: reason }));
      }
      return;
    }
    const row = ledger.insert({ ...base, state: 'queued', providerId: active.providerId });
    this.emitFile(row);
    this.enqueue(row.id);
  }

  /** An offloaded file whose provider deletes local copies, and whose removal was not refused before. */
  private removalPending(row: FileRecord): boolean {
    const provider = this.settings.providers.find((p) => p.id === row.providerId);
    return provider?.deleteLocalAfterUpload === true && row.errorCode !== 'kept-local';
  }

  private enqueue(id: number): void {
    if (this.queued.has(id) || this.active.has(id)) return;
    this.queued.add(id);
    this.queue.push(id);
    this.emitStatus();
    this.pump();
  }

  /**
   * A ledger write failed: stop taking work and say so once. In-flight uploads end at their next state
   * change (which fails the same way), so nothing is verified, counted or removed without a record.
   */
  private haltOn(error: unknown): void {
    if (!(error instanceof LedgerWriteError)) throw error;
    if (this.halted) return;
    this.halted = error;
    this.notice('error', error.code, error.message);
    this.emitStatus();
  }

  private pump(): void {
    // Offline, one file at a time probes the bucket (waiting on its backoff timer); the rest wait.
    const limit = this.offline ? 0 : this.settings.upload.concurrency;
    while (!this.paused && !this.stopped && !this.halted && this.active.size < limit && this.queue.length > 0) this.run(this.queue.shift()!);
  }

  /** Offloads one queued file. Any outcome but "unreachable" shows the bucket answered: back online. */
  private run(id: number): void {
    this.queued.delete(id);
    const controller = new AbortController();
    this.active.set(id, controller);
    void this.offloadOne(id, controller.signal)
      .then(
        () => {
          this.throttled.delete(id);
          this.backOnline();
        },
        (error: unknown) => {
          const cause = error instanceof StepFailure ? error.failure : error;
          if (cause instanceof LedgerWriteError) throw cause; // recording the failure would fail too
          if (this.onFailure(id, error, controller.signal) !== 'offline') this.backOnline();
        },
      )
      .catch((error: unknown) => this.haltOn(error))
      .finally(() => {
        this.active.delete(id);
        this.emitStatus();
        this.pump();
      });
  }

  private async targetFor(providerId: string): Promise<Target> {
    const cached = this.targets.get(providerId);
    if (cached) return cached;
    const settings = this.settings.providers.find((p) => p.id === providerId);
    if (!settings) throw new ProviderUnusable(`provider "${providerId}" is no longer configured`);
    // Files keep resolving to the provider they were queued for, even if it was disabled since.
    const resolved = resolveProvider({ ...settings, enabled: true });
    if (!resolved.ok) throw new ProviderUnusable(resolved.reason);
    const credentials = await credentialsFor(settings, this.o.secrets);
    if (!credentials && settings.type !== 'aws') {
      throw new ProviderUnusable(`provider "${providerId}" has no credentials (store its secret, or set ${envPrefix(providerId)}ACCESS_KEY_ID and ${envPrefix(providerId)}SECRET_ACCESS_KEY)`);
    }
    const client = (this.o.createClient ?? ((c) => new S3Client(c)))(s3ClientConfig(resolved.provider, credentials, this.settings.upload.stallTimeoutMs));
    this.clients.push(client);
    const target = { provider: resolved.provider, store: new S3ObjectStore(client, resolved.provider.bucket) };
    this.targets.set(providerId, target);
    return target;
  }

  private async offloadOne(id: number, signal: AbortSignal): Promise<void> {
    const step = { name: 'preparing' };
    try {
      await this.offloadSteps(id, signal, step);
    } catch (error) {
      throw new StepFailure(step.name, error);
    }
  }

  private async offloadSteps(id: number, signal: AbortSignal, step: { name: string }): Promise<void> {
    const ledger = this.o.ledger;
    let row = ledger.get(id)!;
    const target = await this.targetFor(row.providerId!);
    const { provider } = target;
    const upload = this.settings.upload;

    step.name = 'reading the file';
    await this.assertUnchanged(row);
    row = ledger.transition(id, 'uploading', { attempts: row.attempts + 1, bucket: provider.bucket });
    this.emitFile(row);

    const multipart = row.size > Math.min(upload.multipartThresholdBytes, provider.entry.maxSinglePutBytes);
    const digest = await digestFile(row.path, multipart ? choosePartSize(row.size, upload.partSizeBytes) : null, signal);
    if (digest.size !== row.size) throw new FileChanged();
    await this.assertUnchanged(row);

    const baseKey = buildKey({ prefix: provider.settings.keyPrefix, template: provider.settings.keyTemplate, relPath: row.relPath, sha256: digest.sha256, mtimeMs: row.mtimeMs });
    ledger.patch(id, { sha256: digest.sha256, key: baseKey });

    // Two local files can map to one key (NFD and NFC spellings of a name): offload them one after the
    // other, so the conflict check sees the first one's object even where writes are not conditional.
    const releaseKey = await this.keyLock.acquire(baseKey);
    try {
      await this.writeAndVerify(id, row, target, digest, baseKey, signal, step);
    } finally {
      releaseKey();
    }
  }

  private async writeAndVerify(id: number, startRow: FileRecord, target: Target, digest: FileDigest, baseKey: string, signal: AbortSignal, step: { name: string }): Promise<void> {
    const ledger = this.o.ledger;
    const { provider, store } = target;
    const upload = this.settings.upload;
    let row = startRow;
    let key = baseKey;
    let uploaded = false;
    step.name = 'checking the bucket';
    for (let round = 0; ; round++) {
      const plan = await this.planWrite(target, baseKey, digest, signal);
      if (plan.action === 'conflict') {
        this.emitFile(ledger.transition(id, 'conflict', { key: baseKey, errorCode: 'conflict', lastError: `an object with different content already exists at ${baseKey} (conflict policy: skip)` }));
        return;
      }
      key = plan.key;
      // Continue a multipart upload an earlier attempt or run left for this very key and part size;
      // any other recorded upload (another key, part size, or not needed at all) is aborted.
      const pending = ledger.multipartOf(id);
      const resumable = plan.action === 'upload' && digest.partSize !== null && pending?.key === key && pending.partSize === digest.partSize;
      if (pending && !resumable) await this.abandonMultipart(id);
      if (plan.action === 'identical') break;
      step.name = 'uploading';
      try {
        await store.upload({
          key,
          path: row.path,
          digest,
          contentType: contentTypeFor(row.relPath),
          metadata: { [META_SHA256]: digest.sha256, [META_MTIME]: new Date(row.mtimeMs).toISOString() },
          ifNoneMatch: plan.ifNoneMatch,
          storageClass: provider.settings.storageClass ?? undefined,
          concurrency: Math.max(2, upload.concurrency),
          signal,
          throttle: this.throttle,
          onProgress: (sentBytes) => this.o.events.emit('uploadProgress', { id, path: row.path, sentBytes, totalBytes: digest.size }),
          onMultipartStarted: (uploadId) => ledger.patch(id, { uploadId, key, partSize: digest.partSize }),
          resumeUploadId: resumable ? pending?.uploadId : undefined,
        });
        if (digest.partSize !== null) ledger.patch(id, { uploadId: null }); // single PUTs record none
        uploaded = true;
        // Written while we read (an append leaves the uploaded range consistent, so Content-MD5 cannot
        // tell): remove the object we just created and wait for the file to finish (RELIABILITY.md case 5).
        if (await this.changedSince(row)) {
          await store.delete(key).catch(() => undefined); // ours: the key was free (or being overwritten)
          throw new FileChanged();
        }
        break;
      } catch (error) {
        // Someone wrote the key between our check and our write: look again (bounded).
        if (classifyS3Error(error).kind === 'exists' && round < 3) {
          await this.abandonMultipart(id);
          continue;
        }
        throw error;
      }
    }

    step.name = 'verifying the upload';
    this.emitFile(ledger.transition(id, 'verifying', { key }));
    // Our own upload must verify strictly; an object that was already there must provably hold our bytes.
    const remote = await store.head(key, signal);
    if (!(uploaded ? verifiesUpload(remote, digest) : remote !== null && sameContent(remote, digest))) {
      throw new VerifyMismatch(`verification failed: the object at ${key} does not match the local file (size or checksum differ)`);
    }
    const url = provider.settings.publicUrl ? publicUrlFor(provider.settings.publicUrl, key) : null;
    // Removing the local copy next relies on this state surviving even a power cut: commit it durably.
    row = ledger.transition(id, 'offloaded', { key, url, sha256: digest.sha256, lastError: null, errorCode: null }, undefined, { durable: provider.settings.deleteLocalAfterUpload });
    this.emitFile(row);

    step.name = 'removing the local copy';
    if (provider.settings.deleteLocalAfterUpload) await this.removeLocal(row, digest, target);
  
  }

  /** Where to write, given what is at the key already and the conflict policy. */
  private async planWrite(
    { store, provider }: Target,
    key: string,
    digest: FileDigest,
    signal: AbortSignal,
  ): Promise<{ action: 'upload'; key: string; ifNoneMatch: boolean } | { action: 'identical'; key: string } | { action: 'conflict' }> {
    // What the connection test observed beats what the catalog expects.
    const conditional = this.o.ledger.providerFact(provider.settings.id, 'conditionalWrites') ?? provider.entry.conditionalWrites;
    const existing = await store.head(key, signal);
    if (!existing) return { action: 'upload', key, ifNoneMatch: conditional };
    if (sameContent(existing, digest)) return { action: 'identical', key };
    switch (this.settings.upload.conflictPolicy) {
      case 'skip':
        return { action: 'conflict' };
      case 'overwrite':
        return { action: 'upload', key, ifNoneMatch: false };
      case 'keep-both':
        for (let n = 1; n <= MAX_KEEP_BOTH; n++) {
          const candidate = suffixedKey(key, n);
          const other = await store.head(candidate, signal);
          if (!other) return { action: 'upload', key: candidate, ifNoneMatch: conditional };
          if (sameContent(other, digest)) return { action: 'identical', key: candidate };
        }
        throw new Error(`more than ${MAX_KEEP_BOTH} different objects already exist next to ${key}`);
    }
  }

  private async changedSince(row: FileRecord): Promise<boolean> {
    const now = await stat(row.path).catch(() => null);
    return now !== null && (now.size !== row.size || now.mtimeMs !== row.mtimeMs);
  }

  private async assertUnchanged(row: FileRecord): Promise<void> {
    const now = await stat(row.path);
    if (now.size !== row.size || now.mtimeMs !== row.mtimeMs) throw new FileChanged();
  }

  private async removeLocal(row: FileRecord, digest: FileDigest, target: Target): Promise<void> {
    const outcome = await removeLocalCopy({
      path: row.path,
      mtimeMs: row.mtimeMs,
      digest,
      store: target.store,
      key: row.key!,
      trash: target.provider.settings.moveToTrash ? this.o.trash : undefined,
    }).catch((error: unknown) => ({ removed: false as const, reason: `the local file could not be removed (${(error as Error).message})` }));
    if (outcome.removed) this.emitFile(this.o.ledger.transition(row.id, 'local-removed'));
    else this.emitFile(this.o.ledger.transition(row.id, 'offloaded', { lastError: outcome.reason, errorCode: 'kept-local' }));
  }

  /** Records a failed attempt; says whether the engine went offline because of it. */
  private onFailure(id: number, thrown: unknown, signal: AbortSignal): 'offline' | 'handled' {
    const ledger = this.o.ledger;
    const error = thrown instanceof StepFailure ? thrown.failure : thrown;
    const during = thrown instanceof StepFailure ? ` (while ${thrown.step})` : '';
    if (this.stopped && signal.aborted) return 'handled'; // stopped mid-way: the row stays unfinished and resumes on restart
    const row = ledger.get(id);
    if (!row) return 'handled';
    const settle = this.settleOutcome(id, row, error);
    if (settle) {
      // The bytes on the server (if any) are of an older version or of nothing: start over later.
      void this.abandonMultipart(id);
      this.emitFile(settle);
      return 'handled';
    }
    if (isUnreachable(error) && !this.stopped) {
      this.goOffline(id, row, error);
      return 'offline';
    }
    const classified = this.classify(error, row);
    const throttledTries = (this.throttled.get(id) ?? 0) + 1;
    const throttling = ['SlowDown', 'ServiceUnavailable', 'TooManyRequests', 'HTTP429', 'HTTP503'].includes(classified.code) && throttledTries <= MAX_THROTTLED;
    if (throttling) {
      // The server asks us to slow down: back off, without spending one of the file's attempts.
      this.throttled.set(id, throttledTries);
      ledger.patch(id, { attempts: Math.max(0, row.attempts - 1) });
    }
    const retryable = classified.kind === 'transient' && (throttling || row.attempts < this.settings.upload.maxAttempts) && !this.stopped;
    if (retryable) {
      const delay = Math.min(300_000, this.settings.upload.retryBaseMs * 2 ** (Math.max(row.attempts, throttledTries) - 1)) * (0.8 + Math.random() * 0.4);
      this.emitFile(ledger.transition(id, 'queued', { lastError: `${classified.message}${during}; retrying in ${Math.round(delay / 1000)} s`, errorCode: classified.code }));
      const timer = setTimeout(() => {
        this.retryTimers.delete(id);
        this.enqueue(id);
      }, delay);
      this.retryTimers.set(id, timer);
      return 'handled';
    }
    void this.abandonMultipart(id);
    this.emitFile(ledger.transition(id, 'failed', { lastError: `${classified.message}${during}`, errorCode: classified.code }));
    if (classified.kind === 'provider') this.notice('error', classified.code, `${classified.message}${during}`);
    return 'handled';
  }

  /**
   * The endpoint cannot be reached: one notice, no attempt spent, the file held. One file at a time
   * probes the bucket; when a probe gets any answer, every held file is released. A long outage is one
   * offline state, not a storm of failures.
   */
  private goOffline(id: number, row: FileRecord, error: unknown): void {
    const cause = classifyS3Error(error).message;
    if (!this.offline) {
      this.offline = { retryMs: Math.max(250, this.settings.upload.retryBaseMs), held: [], timer: null, probing: null };
      this.notice('warning', 'offline', `Offline: the bucket cannot be reached (${cause}). Files wait and are retried automatically.`);
    } else if (this.offline.probing === id) {
      this.offline.retryMs = Math.min(60_000, this.offline.retryMs * 2);
    }
    this.offline.probing = null;
    this.offline.held.push(id);
    this.emitFile(this.o.ledger.transition(id, 'queued', { attempts: Math.max(0, row.attempts - 1), lastError: `offline: ${cause}`, errorCode: 'offline' }));
    this.emitStatus();
    this.offline.timer ??= setTimeout(() => this.probe(), this.offline.retryMs);
  }

  private probe(): void {
    const offline = this.offline;
    if (!offline || this.stopped) return;
    offline.timer = null;
    const id = offline.held.shift();
    if (id === undefined) return;
    if (this.paused || this.active.size > 0) {
      offline.held.unshift(id);
      offline.timer = setTimeout(() => this.probe(), offline.retryMs);
      return;
    }
    offline.probing = id;
    this.run(id);
  }

  private backOnline(): void {
    const offline = this.offline;
    if (!offline) return;
    this.offline = null;
    if (offline.timer) clearTimeout(offline.timer);
    this.notice('info', 'online', 'Back online: offloading resumes.');
    for (const id of offline.held) this.enqueue(id);
    this.emitStatus();
    this.pump();
  }

  /** A file that changed or vanished under us is not a failure: it settles again, or is recorded gone. */
  private settleOutcome(id: number, row: FileRecord, error: unknown): FileRecord | null {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof FileChanged || classifyS3Error(error).kind === 'changed') {
      this.watchers.find((w) => w.folder.path === row.watchRoot)?.recheck(row.path);
      return this.o.ledger.transition(id, 'settling', { lastError: 'changed while being offloaded; waiting for it to finish' });
    }
    if (code === 'ENOENT' && (error as NodeJS.ErrnoException).path?.startsWith(row.path)) {
      return this.o.ledger.transition(id, 'vanished', { lastError: 'the file was removed before it could be offloaded' });
    }
    return null;
  }

  private classify(error: unknown, row: FileRecord): ClassifiedError {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof KeyError) return { kind: 'permanent', code: 'bad-key', message: error.message };
    if (error instanceof ProviderUnusable) return { kind: 'provider', code: 'provider-unusable', message: error.message };
    if (error instanceof VerifyMismatch) return { kind: 'transient', code: 'verify-mismatch', message: error.message };
    if (code === 'EACCES' || code === 'EPERM') return { kind: 'permanent', code, message: `cannot read ${row.path}: permission denied` };
    return classifyS3Error(error);
  }

  /** Puts a failed, conflicting or vanished file back in the queue. */
  retry(id: number): boolean {
    const row = this.o.ledger.get(id);
    if (!row || !['failed', 'conflict', 'vanished'].includes(row.state) || !row.providerId || row.providerId === 'local') return false;
    this.emitFile(this.o.ledger.transition(id, 'queued', { attempts: 0, lastError: null, errorCode: null }));
    this.enqueue(id);
    return true;
  }

  pause(): void {
    this.paused = true;
    this.emitStatus();
  }

  resume(): void {
    this.paused = false;
    this.emitStatus();
    this.pump();
  }

  /** Stops watching and uploading; in-flight uploads are aborted and resume on the next start. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.offline?.timer) clearTimeout(this.offline.timer);
    this.offline = null;
    this.queue.splice(0);
    this.queued.clear();
    for (const controller of this.active.values()) controller.abort();
    await Promise.all(this.watchers.map((w) => w.close()));
    while (this.active.size > 0) await new Promise((r) => setTimeout(r, 20));
    this.clients.forEach((c) => c.destroy());
  }

  private emitFile(row: FileRecord): void {
    this.o.events.emit('fileChanged', row);
  }

  private emitStatus(): void {
    this.o.events.emit('statusChanged', this.status());
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.o.events.emit('notice', { level, code, message });
  }
}
