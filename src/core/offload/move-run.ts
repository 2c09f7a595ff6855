/**
 * A move of a storage's files to another (issue #14, docs/move.md): the files the plan lists, a few at a
 * time, each through move-file.ts (from a provider) or move-local.ts (from this machine), with bounded
 * retries of transient failures, pause, cancel and progress (move-tally.ts). Before the first file it finishes what a
 * stopped run left in the moves journal: source copies still to delete, multipart uploads to abort.
 * A file that cannot be moved is left where it was and reported with why; the run goes on.
 */
import type { Readable } from 'node:stream';
import type { EngineEvents } from '../../shared/events';
import { finalStates, keptLocalCodes, verifiedStates, type FileRecord } from '../../shared/ledger';
import { LOCAL_SOURCE, type MoveFileResult, type MovePlan, type MoveProgress } from '../../shared/move';
import type { Settings } from '../../shared/settings';
import { CoreError } from '../errors';
import type { TypedEmitter } from '../events';
import type { Ledger } from '../ledger/ledger';
import type { MoveEntry } from '../ledger/move-journal';
import { openProviderSession, type ProviderSession } from '../providers/provider-session';
import type { SecretStore } from '../secrets/secret-store';
import { classifyFailure } from './failure-kind';
import { StepFailure } from './job-errors';
import type { KeyLock } from './key-lock';
import { deleteSourceCopy, moveStoredFile } from './move-file';
import { giveUpLocalMove, moveLocalFile } from './move-local';
import { MoveTally } from './move-tally';
import type { JobContext } from './offload-job';

export interface MoveDeps {
  ledger: Ledger;
  settings: () => Readonly<Settings>;
  secrets: SecretStore;
  events: TypedEmitter<EngineEvents>;
  /** Shared with the engine: a move and an upload never race on one key. */
  keyLock: KeyLock;
  /** Shared with the engine: the bandwidth limit holds for both together. */
  throttle: ((stream: Readable) => Readable) | undefined;
  trash: ((path: string, restorePath: string) => Promise<void>) | undefined;
}

export interface MoveRequest {
  from: string;
  to: string;
  deleteSource: boolean;
  /** Only these files (a selection in the window); all of the source's when absent. */
  ids?: readonly number[] | undefined;
}

/** The rows a move from `from` takes now (of `ids` only, when given), oldest first. */
export function moveCandidates(ledger: Ledger, from: string, ids?: readonly number[]): FileRecord[] {
  const all = allCandidates(ledger, from);
  if (!ids) return all;
  const wanted = new Set(ids);
  return all.filter((r) => wanted.has(r.id));
}

function allCandidates(ledger: Ledger, from: string): FileRecord[] {
  if (from !== LOCAL_SOURCE) return ledger.list({ providerId: from, states: [...verifiedStates] }).reverse();
  // A move from this machine that a stopped run left mid-way continues first.
  const resumed = ledger.moves
    .all()
    .filter((e) => e.from === LOCAL_SOURCE && e.phase === 'copying')
    .flatMap((e) => {
      const row = ledger.get(e.fileId);
      return row && !finalStates.has(row.state) ? [row] : [];
    });
  const kept = ledger.latestInStates(['skipped']).filter((r) => keptLocalCodes.includes(r.errorCode ?? ''));
  return [...resumed, ...kept];
}

/** Whether a planned row is still one a move from `from` takes (it may have been restored, moved or forgotten since). */
function stillToMove(ledger: Ledger, row: FileRecord, from: string): boolean {
  if (from !== LOCAL_SOURCE) return row.providerId === from && verifiedStates.has(row.state);
  if (row.state === 'skipped') return keptLocalCodes.includes(row.errorCode ?? '') && ledger.latestForPath(row.path)?.id === row.id;
  return !finalStates.has(row.state) && ledger.moves.get(row.id)?.from === LOCAL_SOURCE;
}

/** Source copies that a stopped `--delete-source` run moved but had not deleted yet. */
function pendingDeletes(ledger: Ledger, from: string): MoveEntry[] {
  return ledger.moves.all().filter((e) => e.from === from && e.phase === 'copied');
}

export function planMove(ledger: Ledger, from: string, to: string, ids?: readonly number[]): MovePlan {
  const items = moveCandidates(ledger, from, ids).map((r) => ({ id: r.id, path: r.path, size: r.size }));
  return { from, to, files: items.length, bytes: items.reduce((n, i) => n + i.size, 0), items, pendingDeletes: pendingDeletes(ledger, from).length };
}

export class MoveRun {
  private readonly tally: MoveTally;
  readonly results: MoveFileResult[] = [];
  private readonly controller = new AbortController();
  private readonly sessions = new Map<string, Promise<ProviderSession>>();
  private queue: FileRecord[] = [];
  private resumeWaiters: (() => void)[] = [];
  private markStarted: () => void = () => undefined;
  /** Resolves once the target is open and the files are listed (the window's start waits for it). */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    private readonly deps: MoveDeps,
    private readonly request: MoveRequest,
    onProgress: (progress: MoveProgress) => void = () => undefined,
    private readonly onFile: (result: MoveFileResult) => void = () => undefined,
  ) {
    this.tally = new MoveTally(request, onProgress);
  }

  get phase(): MoveProgress['phase'] {
    return this.tally.phase;
  }

  /** Where the move stands now (move-tally.ts). */
  snapshot(): MoveProgress {
    return this.tally.snapshot();
  }

  /** Finishes no new file until resumed; files being moved go on to their end. */
  pause(): void {
    if (this.tally.phase === 'running') this.tally.setPhase('paused');
  }

  resume(): void {
    if (this.tally.phase !== 'paused') return;
    this.tally.setPhase('running');
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /** Stops: files being copied are abandoned (nothing partial is left; they stay where they were). */
  cancel(): void {
    if (this.tally.phase === 'finished' || this.tally.phase === 'cancelled') return;
    this.tally.setPhase('cancelling');
    this.controller.abort();
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /** Runs to the end (or the cancel); resolves with every file's result. */
  async run(): Promise<MoveFileResult[]> {
    try {
      // Opened first: a target that cannot be used stops the move before anything changes.
      await this.sessionFor(this.request.to);
      await this.settleJournal();
      this.queue = moveCandidates(this.deps.ledger, this.request.from, this.request.ids);
      this.tally.plan(this.queue.length, this.queue.reduce((n, r) => n + r.size, 0));
      this.tally.announce(true);
      this.markStarted();
      const workers = Math.max(1, Math.min(this.deps.settings().upload.concurrency, this.queue.length));
      await Promise.all(Array.from({ length: workers }, () => this.worker()));
    } finally {
      for (const session of this.sessions.values()) void session.then((s) => s.dispose(), () => undefined);
      this.tally.setPhase(this.controller.signal.aborted ? 'cancelled' : 'finished');
    }
    return this.results;
  }

  /**
   * What a stopped run left: uploads it had begun are aborted (the file is still intact at its source and
   * is copied again), source copies it had moved but not deleted are deleted now, and entries whose file
   * went on without them (finished by the app, forgotten) are dropped.
   */
  private async settleJournal(): Promise<void> {
    const { ledger } = this.deps;
    for (const entry of ledger.moves.all().filter((e) => e.from === this.request.from)) {
      const row = ledger.get(entry.fileId);
      if (!row) {
        ledger.moves.end(entry.fileId);
        continue;
      }
      if (entry.phase === 'copied') {
        this.tally.plan(1, 0);
        await this.deleteLeftSource(entry, row);
        continue;
      }
      if (entry.upload) {
        const session = await this.sessionFor(entry.to).catch(() => null);
        await session?.store.abortMultipart(entry.upload.key, entry.upload.uploadId).catch(() => undefined);
        ledger.moves.setUpload(entry.fileId, null);
      }
      // Still at its source: it is moved again below. Otherwise it ended without the journal (a move from
      // this machine that the app's engine finished after a restart): nothing is left to do.
      const atSource = entry.from === LOCAL_SOURCE ? !finalStates.has(row.state) : row.providerId === entry.from;
      if (!atSource) ledger.moves.end(entry.fileId);
    }
  }

  private async deleteLeftSource(entry: MoveEntry, row: FileRecord): Promise<void> {
    const result: MoveFileResult = { id: row.id, path: row.path, outcome: 'moved', size: 0, key: row.key ?? undefined, url: row.url };
    try {
      const source = await this.sessionFor(entry.from, entry.fromBucket);
      const kept = await deleteSourceCopy(this.deps.ledger, source, row.id, { bucket: entry.fromBucket ?? source.store.bucket, key: entry.fromKey! }, row.sha256 ?? '');
      this.finish(kept ? { ...result, code: 'source-kept', message: kept } : { ...result, message: 'its source copy, left by an earlier run, was deleted' });
    } catch (error) {
      this.finish({ ...result, outcome: 'failed', ...describe(error, row.path) });
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      while (this.tally.phase === 'paused') await new Promise<void>((wake) => this.resumeWaiters.push(wake));
      if (this.controller.signal.aborted) return;
      const next = this.queue.shift();
      if (!next) return;
      await this.moveOne(next);
    }
  }

  private async moveOne(queued: FileRecord): Promise<void> {
    const { ledger, settings } = this.deps;
    const { from, to } = this.request;
    const { maxAttempts, retryBaseMs } = settings().upload;
    const signal = this.controller.signal;
    this.tally.sent(queued.id, 0);
    try {
      for (let attempt = 1; ; attempt++) {
        // As the log has it now: it may have been restored, moved or forgotten since the plan.
        const row = ledger.get(queued.id);
        if (!row || !stillToMove(ledger, row, from)) {
          this.tally.unplan(queued.size);
          return;
        }
        try {
          const result = from === LOCAL_SOURCE ? await moveLocalFile(await this.jobContext(), row, to, signal) : await this.moveStored(row);
          this.deps.events.emit('fileChanged', ledger.get(row.id)!);
          this.finish(result);
          return;
        } catch (thrown) {
          const error = thrown instanceof StepFailure ? thrown.failure : thrown;
          const retryable = !signal.aborted && attempt < maxAttempts && this.retryable(error, row.path);
          if (retryable) {
            this.tally.sent(row.id, 0);
            await new Promise((r) => setTimeout(r, Math.min(30_000, retryBaseMs * 2 ** (attempt - 1))));
            continue;
          }
          await this.abandon(row.id, signal.aborted ? 'the move was cancelled' : describe(error, row.path).message);
          if (!signal.aborted) this.finish({ id: row.id, path: row.path, outcome: 'failed', size: row.size, ...describe(error, row.path) });
          return;
        }
      }
    } finally {
      this.tally.leave(queued.id);
    }
  }

  private async moveStored(row: FileRecord): Promise<MoveFileResult> {
    const { ledger, settings, keyLock, throttle } = this.deps;
    return moveStoredFile(
      {
        ledger,
        settings,
        keyLock,
        throttle,
        source: await this.sessionFor(this.request.from, row.bucket),
        target: await this.sessionFor(this.request.to),
        deleteSource: this.request.deleteSource,
        signal: this.controller.signal,
        onProgress: (sent) => {
          this.tally.sent(row.id, sent);
        },
      },
      row,
    );
  }

  /** Transient failures are tried again; so is a local copy that changed (the source object is read next). */
  private retryable(error: unknown, path: string): boolean {
    if (error instanceof CoreError && error.code !== 'verify-mismatch') return false;
    const kind = classifyFailure(error, path).kind;
    return kind === 'transient' || kind === 'unreachable' || (kind === 'changed' && this.request.from !== LOCAL_SOURCE);
  }

  /** A file's move ends without success: its begun upload is aborted and it stays as it was. */
  private async abandon(fileId: number, why: string): Promise<void> {
    const { ledger } = this.deps;
    const entry = ledger.moves.get(fileId);
    if (!entry || entry.phase !== 'copying') return;
    if (entry.upload) {
      const target = await this.sessionFor(entry.to).catch(() => null);
      await target?.store.abortMultipart(entry.upload.key, entry.upload.uploadId).catch(() => undefined);
    }
    if (entry.from === LOCAL_SOURCE) {
      // The upload job records its multipart upload on the file's row, not in the journal.
      if (entry.to === this.request.to) await (await this.jobContext()).abandonMultipart(fileId);
      giveUpLocalMove({ ledger, events: this.deps.events }, fileId, entry.to, why);
    } else {
      ledger.moves.end(fileId);
      ledger.note(fileId, `not moved to ${entry.to}: ${why}`);
    }
  }

  /** The one-file upload job's context, for moves from this machine (move-local.ts). */
  private async jobContext(): Promise<JobContext> {
    const target = await this.sessionFor(this.request.to);
    const { ledger, settings, events, keyLock, throttle, trash } = this.deps;
    return {
      ledger,
      settings,
      events,
      keyLock,
      throttle,
      trash,
      sessionFor: async () => target,
      abandonMultipart: async (id) => {
        const pending = ledger.multipartOf(id);
        if (pending) await target.store.abortMultipart(pending.key, pending.uploadId).catch(() => undefined);
        ledger.patch(id, { uploadId: null });
      },
    };
  }

  /** One session per provider (and bucket: a file keeps the bucket it was stored in) for the run. */
  private sessionFor(providerId: string, bucket?: string | null): Promise<ProviderSession> {
    const settings = this.deps.settings().providers.find((p) => p.id === providerId);
    const cacheKey = `${providerId}\0${bucket ?? settings?.bucket ?? ''}`;
    let session = this.sessions.get(cacheKey);
    if (!session) {
      session = settings
        ? openProviderSession(settings, this.deps.secrets, { bucket, stallTimeoutMs: this.deps.settings().upload.stallTimeoutMs })
        : Promise.reject(new CoreError('unknown-provider', `No provider has id "${providerId}"`, 'Check the id (offload status lists them).'));
      this.sessions.set(cacheKey, session);
    }
    return session;
  }

  private finish(result: MoveFileResult): void {
    this.results.push(result);
    this.onFile(result);
    this.tally.record(result);
  }
}

/** What a failure says about one file: its code and a message without a class name. */
function describe(error: unknown, path: string): { code: string; message: string } {
  if (error instanceof CoreError) return { code: error.code, message: error.message };
  const failure = classifyFailure(error, path);
  switch (failure.kind) {
    case 'changed':
      return { code: 'file-changed', message: `${path} changed while it was being moved` };
    case 'vanished':
      return { code: 'vanished', message: `${path} was removed while it was being moved` };
    default:
      return { code: failure.code, message: failure.message };
  }
}
