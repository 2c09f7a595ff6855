/**
 * The offload engine: finished files in, verified remote copies out. It composes one module per job and
 * holds no step of its own (docs/ARCHITECTURE.md "A file's path"):
 *   intake.ts         watch results → settle → ledger row, queued or skipped
 *   scheduler.ts      queue, concurrency, pause, retry timers
 *   offload-job.ts    one file: open → digest → plan → write → verify → record → remove
 *   failure-policy.ts what a failed attempt leads to (retry after N, offline, settle again, fail)
 *   offline-gate.ts   one probe at a time while the bucket cannot be reached
 * A failure never touches the local file. When the ledger cannot be written the engine halts: nothing is
 * uploaded, verified or removed without its state recorded.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { EngineEvents, EngineStatus, PauseReason } from '../../shared/events';
import type { FileRecord } from '../../shared/ledger';
import type { Settings } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import { LedgerWriteError, type Ledger } from '../ledger/ledger';
import { openProviderSession, ProviderUnusable, readinessOf, type ProviderSession } from '../providers/provider-session';
import { activeProvider } from '../providers/resolve-provider';
import type { SecretStore } from '../secrets/secret-store';
import { classifyFailure } from './failure-kind';
import { decideFailure, type FailureDecision } from './failure-policy';
import { Intake, type StorageCheck } from './intake';
import { StepFailure } from './job-errors';
import type { KeyLock } from './key-lock';
import { OfflineGate } from './offline-gate';
import { offloadFile, type JobContext } from './offload-job';
import { Scheduler } from './scheduler';

export interface EngineOptions {
  /**
   * The settings, read live: concurrency, conflict policy and retry rules apply to the next file. What is
   * fixed at start — watch folders, settle window, the active storage and provider
   * sessions — changes by restarting the engine, which the service does when those change.
   */
  settings: () => Readonly<Settings>;
  ledger: Ledger;
  secrets: SecretStore;
  events: TypedEmitter<EngineEvents>;
  /** Moves a file to the OS trash (providers with moveToTrash). */
  trash?: (path: string, restorePath: string) => Promise<void>;
  /** Why uploads are held now (the user's pause, battery, a metered network); none: they run. */
  pauseReasons?: () => PauseReason[];
  /** Shared with moves (service.ts), so a move and an upload never race on one key. */
  keyLock: KeyLock;
  /** The bandwidth limit (throttle.ts), shared with moves so it holds for both together. */
  throttle: (stream: Readable) => Readable;
}

export class OffloadEngine {
  private readonly sessions = new Map<string, Promise<ProviderSession>>();
  /** Sessions of providers whose settings changed since (forgetSession): closed at stop. */
  private readonly replacedSessions: Promise<ProviderSession>[] = [];
  private readonly throttled = new Map<number, number>();
  private readonly scheduler: Scheduler;
  private readonly offline: OfflineGate;
  private readonly job: JobContext;
  private intake: Intake | null = null;
  private stopped = false;
  /** Set when the ledger cannot be written: no more work starts, since no state could be recorded. */
  private halted: LedgerWriteError | null = null;

  constructor(private readonly o: EngineOptions) {
    this.scheduler = new Scheduler({
      // Offline, only the gate's probe runs (past the limit); the rest wait.
      limit: () => (this.offline.offline ? 0 : o.settings().upload.concurrency),
      mayStart: () => !this.halted,
      run: (id, signal) => this.run(id, signal),
      onChange: () => this.emitStatus(),
    });
    this.offline = new OfflineGate({
      baseDelayMs: Math.max(250, o.settings().upload.retryBaseMs),
      mayProbe: () => !this.scheduler.paused && this.scheduler.running === 0 && !this.stopped,
      probe: (id) => this.scheduler.runNow(id),
    });
    this.job = {
      ledger: o.ledger,
      settings: o.settings,
      events: o.events,
      keyLock: o.keyLock,
      throttle: o.throttle,
      trash: o.trash,
      sessionFor: (providerId) => this.sessionFor(providerId),
      abandonMultipart: (id) => this.abandonMultipart(id),
    };
  }

  status(): EngineStatus {
    const s = this.scheduler;
    const pauseReasons = this.o.pauseReasons?.() ?? [];
    return { paused: s.paused, pauseReasons, offline: this.offline.offline, queued: s.waiting + this.offline.held, active: s.running, activeStorage: this.o.settings().activeStorage };
  }

  /** Holds or releases uploads as the pause reasons say now (called when they change, and at start). */
  applyPause(): void {
    const held = (this.o.pauseReasons?.() ?? []).length > 0;
    if (held && !this.scheduler.paused) this.scheduler.pause();
    else if (!held && this.scheduler.paused) this.scheduler.resume();
    else this.emitStatus();
  }

  /** Why the engine stopped taking work (the ledger cannot be written), or null. */
  haltedBy(): string | null {
    // A grouped ledger commit fails at the end of a turn, where nobody hears it; a later write would.
    const failure = this.o.ledger.writeFailure();
    if (failure) this.haltOn(failure);
    return this.halted?.message ?? null;
  }

  /** True when nothing is settling, queued, waiting to retry or uploading (or nothing more will happen). */
  isIdle(): boolean {
    if (this.halted) return this.scheduler.running === 0;
    return this.scheduler.empty && !this.offline.offline && (this.intake?.settling ?? 0) === 0;
  }

  /** Recovers what a previous run left unfinished, then starts watching every folder. */
  async start(): Promise<void> {
    this.applyPause();
    const storage = await this.checkActiveStorage();
    await this.recoverUnfinished();
    this.intake = new Intake({
      settings: this.o.settings(),
      liveSettings: this.o.settings,
      ledger: this.o.ledger,
      events: this.o.events,
      storage,
      enqueue: (id) => this.scheduler.enqueue(id),
      onError: (error) => this.haltOn(error),
      isStopped: () => this.stopped,
    });
    await this.intake.start();
  }

  /** Looks at a file again from scratch: an offloaded file that changed since is then offloaded again. */
  recheck(row: FileRecord): void {
    this.intake?.recheck(row);
  }

  /** Puts a failed, conflicting or vanished file back in the queue. */
  retry(id: number): boolean {
    const row = this.o.ledger.get(id);
    if (!row || !['failed', 'conflict', 'vanished'].includes(row.state) || !row.providerId || row.providerId === 'local') return false;
    this.o.events.emit('fileChanged', this.o.ledger.transition(id, 'queued', { attempts: 0, lastError: null, errorCode: null }));
    this.scheduler.enqueue(id);
    return true;
  }

  /** Stops watching and uploading; in-flight uploads are aborted and resume on the next start. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offline.stop();
    await Promise.all([this.scheduler.stop(), this.intake?.close()]);
    for (const session of [...this.sessions.values(), ...this.replacedSessions]) void session.then((s) => s.dispose(), () => undefined);
  }

  /** Readiness of the active storage (PRODUCT.md §1): enabled, fields valid, credentials present. */
  private async checkActiveStorage(): Promise<StorageCheck> {
    const active = activeProvider(this.o.settings());
    if (!active.ok) return { ok: false, reason: active.reason, local: 'local' in active };
    const p = active.provider.settings;
    const { status, issues } = await readinessOf(p, this.o.secrets);
    if (status === 'ready') return { ok: true, providerId: p.id };
    const first = issues[0];
    return { ok: false, reason: `provider "${p.id}" is not ready${first ? ` (${first.field}: ${first.message})` : ''}`, local: false };
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
   * A provider's settings were saved (a new secret, endpoint or bucket): the next file for it opens a new
   * session. Uploads under way finish on the old one, which is closed when the engine stops.
   */
  forgetSession(providerId: string): void {
    const session = this.sessions.get(providerId);
    if (!session) return;
    this.sessions.delete(providerId);
    this.replacedSessions.push(session);
  }

  /** One session per provider until its settings change (forgetSession); files keep the provider they were queued for. */
  private sessionFor(providerId: string): Promise<ProviderSession> {
    let session = this.sessions.get(providerId);
    if (!session) {
      const current = this.o.settings();
      const settings = current.providers.find((p) => p.id === providerId);
      session = !settings
        ? Promise.reject(new ProviderUnusable(`provider "${providerId}" is no longer configured`, 'Add the provider again, or retry the file once another storage is active.', 'gone'))
        : settings.retired // kept for its files' links only: nothing is uploaded there
          ? Promise.reject(new ProviderUnusable(`provider "${providerId}" is retired: it takes no new uploads`, 'The file stays local; it is offloaded to the default storage when it changes, or add this bucket again as a new provider.', 'gone'))
          : openProviderSession(settings, this.o.secrets, { stallTimeoutMs: current.upload.stallTimeoutMs });
      // A provider that cannot be used now may be fixed later (settings restart the engine anyway).
      session.catch(() => this.sessions.delete(providerId));
      this.sessions.set(providerId, session);
    }
    return session;
  }

  /** Aborts a file's recorded multipart upload, if any (best effort: the server expires it anyway). */
  private async abandonMultipart(id: number): Promise<void> {
    const pending = this.o.ledger.multipartOf(id);
    const providerId = this.o.ledger.get(id)?.providerId;
    if (!pending || !providerId) return;
    const session = await this.sessionFor(providerId).catch(() => null);
    await session?.store.abortMultipart(pending.key, pending.uploadId).catch(() => undefined);
    this.o.ledger.patch(id, { uploadId: null });
  }

  /** Runs one file and carries out what its outcome calls for. Never rejects. */
  private async run(id: number, signal: AbortSignal): Promise<void> {
    try {
      try {
        await offloadFile(this.job, id, signal);
        this.throttled.delete(id);
        this.backOnline(); // any outcome but "unreachable" shows the bucket answered
      } catch (thrown) {
        const cause = thrown instanceof StepFailure ? thrown.failure : thrown;
        if (cause instanceof LedgerWriteError) throw cause; // recording the failure would fail too
        if (this.onFailure(id, thrown as StepFailure, signal) !== 'go-offline') this.backOnline();
      }
    } catch (error) {
      this.haltOn(error);
    }
  }

  /** Records a failed attempt as the failure policy decides; returns the decision's action. */
  private onFailure(id: number, thrown: StepFailure, signal: AbortSignal): FailureDecision['action'] {
    const ledger = this.o.ledger;
    const row = ledger.get(id);
    if (!row) return 'resume-later';
    const throttled = this.throttled.get(id) ?? 0;
    const { maxAttempts, retryBaseMs } = this.o.settings().upload;
    const rules = { maxAttempts, retryBaseMs };
    const decision = decideFailure(classifyFailure(thrown.failure, row.path), { attempts: row.attempts, throttled }, rules, { stopped: this.stopped, aborted: signal.aborted }, Math.random());
    const during = ` (while ${thrown.step})`;
    const emit = (next: typeof row): void => this.o.events.emit('fileChanged', next);
    switch (decision.action) {
      case 'resume-later':
        break; // the row stays unfinished and resumes on restart
      case 'settle-again':
        // The bytes on the server (if any) are of an older version or of nothing: start over later.
        void this.abandonMultipart(id);
        this.intake?.recheck(row);
        emit(ledger.transition(id, 'settling', { lastError: 'changed while being offloaded; waiting for it to finish' }));
        break;
      case 'vanished':
        void this.abandonMultipart(id);
        emit(ledger.transition(id, 'vanished', { lastError: 'the file was removed before it could be offloaded' }));
        break;
      case 'refuse':
        // Swapped for something that must not be read (a FIFO, a link out of the folder) after it settled.
        void this.abandonMultipart(id);
        emit(ledger.transition(id, 'skipped', { errorCode: decision.code, lastError: decision.message }));
        break;
      case 'go-offline':
        if (this.offline.hold(id)) this.notice('warning', 'offline', `Offline: the bucket cannot be reached (${decision.message}). Files wait and are retried automatically.`);
        emit(ledger.transition(id, 'queued', { attempts: Math.max(0, row.attempts - 1), lastError: `offline: ${decision.message}`, errorCode: 'offline' }));
        this.emitStatus();
        break;
      case 'retry':
        if (decision.throttled) {
          // The server asks us to slow down: back off, without spending one of the file's attempts.
          this.throttled.set(id, throttled + 1);
          ledger.patch(id, { attempts: Math.max(0, row.attempts - 1) });
        }
        emit(ledger.transition(id, 'queued', { lastError: `${decision.message}${during}; retrying in ${Math.round(decision.delayMs / 1000)} s`, errorCode: decision.code }));
        this.scheduler.retryAfter(id, decision.delayMs);
        break;
      case 'fail':
        void this.abandonMultipart(id);
        emit(ledger.transition(id, 'failed', { lastError: `${decision.message}${during}`, errorCode: decision.code }));
        if (decision.notify) this.notice('error', decision.code, `${decision.message}${during}`);
        break;
    }
    return decision.action;
  }

  private backOnline(): void {
    if (!this.offline.offline) return;
    const held = this.offline.answered();
    this.notice('info', 'online', 'Back online: offloading resumes.');
    for (const id of held) this.scheduler.enqueue(id);
    this.emitStatus();
    this.scheduler.pump();
  }

  /**
   * A ledger write failed: stop taking work and say so once. In-flight uploads end at their next state
   * change (which fails the same way), so nothing is verified, counted or removed without a record.
   */
  private haltOn(error: unknown): void {
    if (!(error instanceof LedgerWriteError)) throw error;
    if (this.halted) return;
    this.halted = error;
    this.o.events.emit('notice', { level: 'error', code: error.code, message: error.message, fix: error.fix });
    this.emitStatus();
  }

  private emitStatus(): void {
    this.o.events.emit('statusChanged', this.status());
  }

  private notice(level: 'info' | 'warning' | 'error', code: string, message: string): void {
    this.o.events.emit('notice', { level, code, message });
  }
}
