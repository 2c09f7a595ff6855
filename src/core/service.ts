/**
 * OffloadService: the one facade over the engine. The desktop app and the `offload` command both drive
 * the engine only through it: commands in (one facet per IPC command group — providers, storage, watch,
 * settings, queue, log), typed events out. It owns the engine's life; the settings have one owner, the
 * settings store, which every facet changes through `change`.
 */
import type { Readable } from 'node:stream';
import type { EngineEvents, EngineStatus } from '../shared/events';
import type { AppInfo, LinkResult, ProviderView, StatusView } from '../shared/ipc/contract';
import type { FileRecord, FileState } from '../shared/ledger';
import type { AppError } from '../shared/result';
import type { Settings } from '../shared/settings';
import { CoreError } from './errors';
import { TypedEmitter } from './events';
import type { ServiceContext } from './facets/context';
import { AfterUploadActions } from './after-upload/after-upload';
import { LogFacet } from './facets/log';
import { MediaFacet, type MediaOptions } from './media/media-facet';
import { MoveFacet } from './facets/move';
import { BucketFacet } from './facets/bucket';
import { ProvidersFacet } from './facets/providers';
import { QueueFacet } from './facets/queue';
import { settingsView, SettingsFacet, StorageFacet, WatchFacet } from './facets/settings';
import { Ledger } from './ledger/ledger';
import { OffloaderLock } from './ledger/offloader-lock';
import { bandwidthLimitAt } from '../shared/bandwidth-schedule';
import { OffloadEngine } from './offload/engine';
import { KeyLock } from './offload/key-lock';
import { createThrottle } from './offload/throttle';
import { moveToFreedesktopTrash } from './offload/trash';
import { ledgerFileFor } from './paths';
import { KeychainStore, KeychainThenEnvStore, type WritableSecretStore } from './secrets/keychain-store';
import { EnvSecretStore } from './secrets/secret-store';
import { loadSettings } from './settings/settings-file';
import { SettingsStore } from './settings/settings-store';
import { productName, productVersion } from './version';
import { RetentionFacet, type RetentionOptions } from './retention/retention-facet';

export { ServiceError } from './service-error';

export interface ServiceOptions {
  settingsFile: string;
  /** Defaults to ledger.sqlite next to the settings file. */
  ledgerFile?: string;
  /** Create a default settings file when there is none (the desktop app); the command refuses instead. */
  createIfMissing?: boolean;
  /** Defaults to the OS keychain, then OFFLOAD_<ID>_… environment variables. */
  secrets?: WritableSecretStore;
  trash?: (path: string, restorePath: string) => Promise<void>;
  /** Who is offloading, for the one-offloader lock's message ("the Offload Companion app"). */
  role?: string;
  /** Thumbnails and previews (src/core/media): on by default; `thumbnails: false` turns them off. */
  media?: Partial<MediaOptions>;
  /** The retention policy's clock and schedule (tests move the clock and shorten the checks). */
  retention?: Partial<RetentionOptions>;
}

export type { LinkResult, ProviderView };

/** States a `--once` run counts as a failure. */
const failedStates: ReadonlySet<FileState> = new Set(['failed', 'conflict']);

export class OffloadService {
  readonly events = new TypedEmitter<EngineEvents>();
  readonly providers: ProvidersFacet;
  readonly storage: StorageFacet;
  readonly watch: WatchFacet;
  readonly settings: SettingsFacet;
  readonly queue: QueueFacet;
  readonly log: LogFacet;
  readonly move: MoveFacet;
  /** What a provider's bucket holds (cached listings) and adding its objects to the library. */
  readonly bucket: BucketFacet;
  /** Thumbnails and previews for the gallery, made off the upload's path (src/core/media). */
  readonly media: MediaFacet;
  /** Copy / notify / open / run a command once an upload is verified; main gives it a desktop (useDesktop). */
  readonly afterUpload: AfterUploadActions;
  /** When local copies leave: plans, passes, pins and its own schedule while the engine runs. */
  readonly retention: RetentionFacet;
  private readonly store: SettingsStore;
  private readonly keyLock = new KeyLock();
  /** One bandwidth limit for the engine and moves together. */
  private readonly throttle: (stream: Readable) => Readable;
  private engine: OffloadEngine | null = null;
  private secretStore: WritableSecretStore | null = null;
  private readonly lock: OffloaderLock;
  private unfollow: (() => void) | null = null;
  /** Async work holding the offloader lock now (a move): stopping the engine keeps the lock for it. */
  private lockedWork = 0;
  /** Banners for the window (StatusView.problems), by code. */
  private readonly problems = new Map<string, AppError>();

  private constructor(
    settingsFile: string,
    initial: Settings,
    private readonly ledger: Ledger,
    private readonly options: ServiceOptions,
  ) {
    this.store = new SettingsStore(settingsFile, initial, (s) => this.events.emit('settingsChanged', settingsView(s)));
    // The limit is read live (a schedule by time of day, else the fixed limit): no restart to change it.
    this.throttle = createThrottle(() => bandwidthLimitAt(this.store.current.upload, new Date()));
    this.lock = new OffloaderLock(`${ledger.file}.lock`, options.role ?? 'the offload command');
    const ctx: ServiceContext = {
      settings: this.store,
      ledger,
      events: this.events,
      secrets: () => this.secrets,
      engine: () => this.engine,
      asOffloader: (work) => {
        if (this.engine) return work();
        this.lock.acquire();
        try {
          return work();
        } finally {
          this.lock.release();
        }
      },
      whileOffloader: async (work) => {
        this.lock.acquire(); // held already while the engine runs here
        this.lockedWork++;
        try {
          return await work();
        } finally {
          // Kept while an engine runs here (the window), which holds the same lock.
          if (--this.lockedWork === 0 && !this.engine) this.lock.release();
        }
      },
      keyLock: this.keyLock,
      throttle: this.throttle,
      trash: options.trash ?? moveToFreedesktopTrash,
      change: async (mutate, restartEngine) => {
        const before = this.store.current;
        const after = await this.store.update(mutate);
        if (this.engine && restartEngine(before, after)) {
          await this.stop();
          await this.start();
        }
        return after;
      },
    };
    this.providers = new ProvidersFacet(ctx);
    this.storage = new StorageFacet(ctx);
    this.watch = new WatchFacet(ctx);
    this.settings = new SettingsFacet(ctx);
    this.queue = new QueueFacet(ctx);
    this.log = new LogFacet(ctx);
    this.move = new MoveFacet(ctx);
    this.bucket = new BucketFacet(ctx);
    this.media = new MediaFacet({ ledger, events: this.events, providers: () => this.store.current.providers, secrets: () => this.secrets, uploading: () => uploadsPending(this.engine) }, options.media);
    this.retention = new RetentionFacet(ctx, () => this.secrets, options.retention);
    this.afterUpload = new AfterUploadActions({ events: this.events, ledger, settings: () => this.store.current, link: (id, presignSeconds) => this.log.link(id, presignSeconds) });
  }

  /** Loads the settings (SettingsError names the field at fault) and opens the ledger. */
  static async open(options: ServiceOptions): Promise<OffloadService> {
    const settings = await loadSettings(options.settingsFile, { createIfMissing: options.createIfMissing ?? false });
    // Grouped commits: one per turn of the event loop instead of one per state (ledger.ts).
    const ledger = Ledger.open(options.ledgerFile ?? ledgerFileFor(options.settingsFile), { groupCommits: true });
    return new OffloadService(options.settingsFile, settings, ledger, options);
  }

  /** Name, version and active storage, for the window's title and About box. */
  appInfo(): AppInfo {
    return { name: productName, version: productVersion, activeStorage: this.store.current.activeStorage };
  }

  /** The status without the retention figures (those read the disks: statusView). */
  status(): Omit<StatusView, 'retention'> {
    return {
      engine: this.engine?.status() ?? null,
      counts: this.ledger.counts(),
      activeStorage: this.store.current.activeStorage,
      pauseReasons: this.queue.pauseReasons(),
      problems: [...this.problems.values()],
      space: this.ledger.spaceFigures(),
    };
  }

  /** Everything the dashboard and `offload status` show, with free space and what the policy could free. */
  async statusView(): Promise<StatusView> {
    return { ...this.status(), retention: await this.retention.figures() };
  }

  private get secrets(): WritableSecretStore {
    this.secretStore ??= this.options.secrets ?? new KeychainThenEnvStore(KeychainStore.tryLoad(), new EnvSecretStore());
    return this.secretStore;
  }

  /**
   * Applies outside edits of the settings file (the `offload` command, an editor) within a second: what
   * the engine fixes at start restarts it, a pause or resume takes effect, and an invalid edit keeps the
   * last good settings and says which field in an error notice. For the long-running app and `offload
   * watch`; undone by close().
   */
  followSettingsFile(): void {
    this.unfollow ??= this.store.watch((edit) => {
      if (!edit.applied) {
        const message = `${edit.error instanceof Error ? edit.error.message : String(edit.error)} — the last good settings stay in use until it is fixed`;
        const fix = edit.error instanceof CoreError ? edit.error.fix : 'Correct the settings file.';
        this.raiseProblem({ code: 'settings-invalid', message, fix });
        this.events.emit('notice', { level: 'error', code: 'settings-invalid', message, fix });
        return;
      }
      this.clearProblem('settings-invalid');
      if (this.engine && fixedAtStart(edit.before) !== fixedAtStart(edit.after)) void this.stop().then(() => this.start());
      else this.engine?.applyPause();
    });
  }

  /**
   * Starts watching and offloading. Only one offloader may use a ledger: throws ServiceError
   * `offloader-running` naming the other (the app, or an `offload watch`).
   */
  async start(): Promise<void> {
    if (this.engine) return;
    try {
      this.lock.acquire();
      this.clearProblem('offloader-running');
    } catch (error) {
      if (error instanceof CoreError) this.raiseProblem({ code: error.code, message: error.message, fix: error.fix });
      throw error;
    }
    this.engine = new OffloadEngine({
      settings: () => this.store.current,
      ledger: this.ledger,
      secrets: this.secrets,
      events: this.events,
      trash: this.options.trash ?? moveToFreedesktopTrash,
      keyLock: this.keyLock,
      throttle: this.throttle,
      pauseReasons: () => this.queue.pauseReasons(),
    });
    this.media.start(); // thumbnails follow the engine's files from here until close()
    await this.engine.start();
    this.retention.startSchedule();
  }

  /**
   * Offloads what is finished now and stops: every file present when called is settled, offloaded (or
   * skipped by policy) and verified, and every failed file in a watch folder gets a fresh attempt.
   * `files` are the rows the run touched, as they ended; `ok` is false when any of them failed or hit a
   * conflict, or the ledger could not be written.
   */
  async runOnce(): Promise<{ ok: boolean; files: FileRecord[] }> {
    const touched = new Map<number, FileRecord>();
    const off = this.events.on('fileChanged', (row) => touched.set(row.id, row));
    let halted: string | null;
    try {
      // Failed rows are final, so the start-up scan would pass them by: queued, it offers them again.
      this.queue.retryFailed();
      await this.start();
      let idleChecks = 0;
      while (idleChecks < 3) {
        await new Promise((r) => setTimeout(r, 50));
        idleChecks = this.engine!.isIdle() ? idleChecks + 1 : 0;
      }
      // The ledger could not be written: the run did not finish, whatever the files' last states say.
      halted = this.engine!.haltedBy();
      // What the retention policy has due now, as the schedule of a long-running watch would do it.
      if (halted === null) await this.retention.runDue();
      // The run's after-upload commands finish (each within its timeout) before the command exits.
      await this.afterUpload.settled();
    } finally {
      off();
      await this.stop();
    }
    // As the ledger has them now (a re-queued file whose local copy was gone is `vanished` without an event).
    const files = [...touched.values()].map((row) => this.ledger.get(row.id) ?? row);
    return { ok: halted === null && files.every((f) => !failedStates.has(f.state) && f.errorCode !== 'provider-unusable'), files };
  }

  /** Raises a banner in the window (StatusView.problems). */
  private raiseProblem(problem: AppError): void {
    this.problems.set(problem.code, problem);
    this.events.emit('statusChanged', this.engine?.status() ?? emptyStatus(this.store.current.activeStorage));
  }

  private clearProblem(code: string): void {
    if (this.problems.delete(code)) this.events.emit('statusChanged', this.engine?.status() ?? emptyStatus(this.store.current.activeStorage));
  }

  async stop(): Promise<void> {
    await this.retention.stopSchedule();
    const engine = this.engine;
    this.engine = null;
    await engine?.stop();
    if (this.lockedWork === 0) this.lock.release();
  }

  /** Stops and closes the ledger. Idempotent. */
  async close(): Promise<void> {
    this.unfollow?.();
    this.unfollow = null;
    await this.move.stop();
    await this.media.stop();
    await this.stop();
    await this.afterUpload.stop();
    this.ledger.close();
  }
}

/**
 * Uploads running, or about to (queued or settling, and neither paused nor held while offline): what
 * background thumbnails wait for, so they never take CPU from an upload.
 */
function uploadsPending(engine: OffloadEngine | null): boolean {
  const s = engine?.status();
  if (!engine || !s) return false;
  if (s.active > 0) return true;
  return !s.paused && !s.offline && !engine.isIdle();
}

/** The engine status to announce while no engine runs (the window then re-reads the whole status). */
function emptyStatus(activeStorage: string): EngineStatus {
  return { paused: false, pauseReasons: [], offline: false, queued: 0, active: 0, activeStorage };
}

/** The settings an engine fixes when it starts: a change to them restarts it. */
function fixedAtStart(s: Readonly<Settings>): string {
  // A folder's after-upload actions are read per upload: editing them restarts nothing.
  // So is the retention policy (read per file and per pass).
  const folders = s.watchFolders.map(({ afterUpload: _readLive, retention: _alsoLive, ...folder }) => folder);
  return JSON.stringify([folders, s.activeStorage, s.providers, s.upload.settleMs]);
}
