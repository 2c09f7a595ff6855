/**
 * OffloadService: the one facade over the engine. The desktop app and the `offload` command both drive
 * the engine only through it: commands in, typed events out.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { relative, resolve, isAbsolute } from 'node:path';
import type { EngineEvents, SettingsView } from '../shared/events';
import type { AppInfo, ExportedLog, LinkResult, LogFilter, LogPage, ProviderView, StatusView, TimelineEntry, UploadOptions } from '../shared/ipc/contract';
import { verifiedStates, type FileRecord, type FileState } from '../shared/ledger';
import { TypedEmitter } from './events';
import { Ledger, type ListQuery } from './ledger/ledger';
import { exportLog } from './ledger/log-export';
import { OffloadEngine, type EngineOptions } from './offload/engine';
import { publicUrlFor } from './offload/object-key';
import { moveToFreedesktopTrash } from './offload/trash';
import { ledgerFileFor } from './paths';
import { credentialsFor, resolveProvider, s3ClientConfig, type ResolvedProvider } from './providers/resolve-provider';
import type { Credentials } from './secrets/secret-store';
import { KeychainStore, KeychainThenEnvStore, type WritableSecretStore } from './secrets/keychain-store';
import { envPrefix, EnvSecretStore } from './secrets/secret-store';
import { loadSettings, saveSettings } from './settings/settings-file';
import { runConnectionTest } from './probe/connection-test';
import { providerCatalog, type ProviderType } from '../shared/providers/catalog';
import { providerReadiness } from '../shared/providers/validate';
import { secretBindingChanges } from '../shared/providers/secret-binding';
import type { ProbeResult } from '../shared/probe';
import { LOCAL_STORAGE, providerSchema, watchFolderSchema, type ProviderSettings, type Settings } from '../shared/settings';
import { S3ObjectStore } from './storage/s3-object-store';
import { productName, productVersion } from './version';

export interface ServiceOptions {
  settingsFile: string;
  /** Defaults to ledger.sqlite next to the settings file. */
  ledgerFile?: string;
  /** Create a default settings file when there is none (the desktop app); the command refuses instead. */
  createIfMissing?: boolean;
  /** Defaults to the OS keychain, then OFFLOAD_<ID>_… environment variables. */
  secrets?: WritableSecretStore;
  trash?: (path: string, restorePath: string) => Promise<void>;
  createClient?: EngineOptions['createClient'];
}

export type { LinkResult, ProviderView };

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Path equality as the file system sees it: Windows and (by default) macOS ignore case. */
function samePath(a: string, b: string): boolean {
  return process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase();
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** States a `--once` run counts as a failure. */
const failedStates: ReadonlySet<FileState> = new Set(['failed', 'conflict']);

export class OffloadService {
  readonly events = new TypedEmitter<EngineEvents>();
  private engine: OffloadEngine | null = null;

  private constructor(
    readonly settings: Settings,
    readonly ledger: Ledger,
    private readonly options: ServiceOptions,
  ) {}

  /** Loads the settings (SettingsError names the field at fault) and opens the ledger. */
  static async open(options: ServiceOptions): Promise<OffloadService> {
    const settings = await loadSettings(options.settingsFile, { createIfMissing: options.createIfMissing ?? false });
    const ledger = Ledger.open(options.ledgerFile ?? ledgerFileFor(options.settingsFile));
    return new OffloadService(settings, ledger, options);
  }

  /** Name, version and active storage, for the window's title and About box. */
  appInfo(): AppInfo {
    return { name: productName, version: productVersion, activeStorage: this.settings.activeStorage };
  }

  private storeCache: WritableSecretStore | null = null;
  private get secrets(): WritableSecretStore {
    this.storeCache ??= this.options.secrets ?? new KeychainThenEnvStore(KeychainStore.tryLoad(), new EnvSecretStore());
    return this.storeCache;
  }

  private provider(id: string): ProviderSettings {
    const p = this.settings.providers.find((x) => x.id === id);
    if (!p) throw new ServiceError('unknown-provider', `No provider has id "${id}"`);
    return p;
  }

  /** An S3 client for a provider, through the injected factory when tests give one. */
  private clientFor(provider: ResolvedProvider, credentials: Credentials | null, overrides: Partial<S3ClientConfig> = {}): S3Client {
    return (this.options.createClient ?? ((c) => new S3Client(c)))({ ...s3ClientConfig(provider, credentials), ...overrides });
  }

  /** Every provider with its readiness; secrets are reported only as hasSecret. */
  async providerViews(): Promise<ProviderView[]> {
    return Promise.all(
      this.settings.providers.map(async (p) => {
        const hasSecret = (await this.secrets.getSecret(p.id).catch(() => null)) !== null;
        const accessKeyId = p.accessKeyId ?? (await this.secrets.getAccessKeyId(p.id));
        return { ...p, hasSecret, ...providerReadiness({ ...p, accessKeyId }, hasSecret) };
      }),
    );
  }

  /**
   * Adds or replaces a provider and writes the settings file atomically. A non-empty secret goes to the
   * keychain. An empty one keeps the stored secret only while the provider's type, endpoint and bucket
   * stay as they were: otherwise the stored secret is dropped (see secret-binding.ts), and the save is
   * refused when a secret would still reach the new place from the environment.
   */
  async saveProvider(input: unknown, secret = ''): Promise<ProviderView> {
    const parsed = providerSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ServiceError('bad-provider', `${issue.path.join('.') || 'provider'}: ${issue.message}`);
    }
    const before = this.settings.providers.find((p) => p.id === parsed.data.id);
    if (secret) await this.secrets.setSecret(parsed.data.id, secret);
    else {
      // A new provider is a new place too: a secret left in the keychain under its id is not for it.
      const changed = before ? secretBindingChanges(before, parsed.data) : ['new provider'];
      if (changed.length) await this.dropSecret(parsed.data.id, changed);
    }
    const i = this.settings.providers.findIndex((p) => p.id === parsed.data.id);
    if (i >= 0) this.settings.providers[i] = parsed.data;
    else this.settings.providers.push(parsed.data);
    await this.saveSettingsAndApply(parsed.data.id === this.settings.activeStorage);
    return (await this.providerViews()).find((v) => v.id === parsed.data.id)!;
  }

  /**
   * Drops a provider's stored secret because where its requests go changed. A secret that still
   * resolves afterwards (OFFLOAD_<ID>_SECRET_ACCESS_KEY) cannot be dropped from here, so the save is
   * refused rather than sign requests to the new place with it.
   */
  private async dropSecret(id: string, changed: readonly string[]): Promise<void> {
    await this.secrets.deleteSecret(id).catch(() => false); // no keychain: nothing in it to drop
    if ((await this.secrets.getSecret(id).catch(() => null)) === null) return;
    throw new ServiceError(
      'secret-required',
      `Provider "${id}": the ${changed.join(', ')} changed, and its secret could not be dropped (it comes from ${envPrefix(id)}SECRET_ACCESS_KEY, or the keychain refused): enter the secret again with this change, so it is never used somewhere you did not type it for`,
    );
  }

  /**
   * Removes a provider and its stored secret. The active storage cannot be removed (switch first), and
   * files it already holds keep their bucket and key in the log.
   */
  async removeProvider(id: string): Promise<ProviderView[]> {
    this.provider(id);
    if (id === this.settings.activeStorage) throw new ServiceError('provider-active', `Provider "${id}" is the default storage: choose another default storage before removing it`);
    this.settings.providers = this.settings.providers.filter((p) => p.id !== id);
    await this.saveSettingsAndApply(false);
    await this.secrets.deleteSecret(id).catch(() => false);
    return this.providerViews();
  }

  /** The settings the window and tray show. */
  settingsView(): SettingsView {
    return { activeStorage: this.settings.activeStorage, watchFolders: structuredClone(this.settings.watchFolders), upload: { ...this.settings.upload } };
  }

  /**
   * Makes a ready provider (or Local) the default storage. New files go there; files already offloaded
   * keep resolving to where they were stored (PRODUCT.md §4).
   */
  async setActiveStorage(id: string): Promise<SettingsView> {
    if (id !== LOCAL_STORAGE) {
      const view = (await this.providerViews()).find((v) => v.id === id);
      if (!view) throw new ServiceError('unknown-provider', `No provider has id "${id}"`);
      if (view.status !== 'ready') {
        const first = view.issues[0];
        throw new ServiceError('provider-not-ready', `Provider "${id}" is not ready${first ? ` (${first.field}: ${first.message})` : view.enabled ? '' : ' (it is disabled)'}: finish its settings first`);
      }
    }
    if (id === this.settings.activeStorage) return this.settingsView();
    this.settings.activeStorage = id;
    await this.saveSettingsAndApply(true);
    return this.settingsView();
  }

  /** Concurrency, settle time, conflict policy and bandwidth limit from the window's General screen. */
  async saveUploadOptions(options: UploadOptions): Promise<SettingsView> {
    const before = this.settings.upload;
    this.settings.upload = { ...before, ...options };
    // Concurrency and conflict policy are read live; the settle window and throttle are fixed per engine.
    const restart = this.settings.upload.settleMs !== before.settleMs || this.settings.upload.bandwidthLimitBytesPerSec !== before.bandwidthLimitBytesPerSec;
    await this.saveSettingsAndApply(restart);
    return this.settingsView();
  }

  /**
   * Adds a watch folder: it must pass the schema's path rules, must not be the user's home folder itself,
   * must exist, and may not contain or sit inside another one (files would go twice).
   */
  async addWatchFolder(input: unknown): Promise<SettingsView> {
    const folder = watchFolderSchema.parse(input);
    folder.path = resolve(folder.path);
    if (samePath(folder.path, resolve(homedir()))) throw new ServiceError('home-folder', `${folder.path} is your home folder itself: choose a folder inside it, such as one for your results`);
    const info = await stat(folder.path).catch(() => null);
    if (!info?.isDirectory()) throw new ServiceError('not-a-folder', `${folder.path}: not an existing folder`);
    for (const other of this.settings.watchFolders) {
      if (other.path === folder.path) throw new ServiceError('already-watched', `${folder.path} is already a watch folder`);
      if (isInside(folder.path, other.path) || isInside(other.path, folder.path)) {
        throw new ServiceError('nested-watch-folder', `${folder.path} overlaps the watch folder ${other.path}: watch one of them, not both`);
      }
    }
    this.settings.watchFolders.push(folder);
    await this.saveSettingsAndApply(true);
    return this.settingsView();
  }

  /** Stops watching a folder. Its files stay where they are, and the log keeps their rows. */
  async removeWatchFolder(path: string): Promise<SettingsView> {
    const target = resolve(path);
    if (!this.settings.watchFolders.some((f) => f.path === target)) throw new ServiceError('not-watched', `${target} is not a watch folder`);
    this.settings.watchFolders = this.settings.watchFolders.filter((f) => f.path !== target);
    await this.saveSettingsAndApply(true);
    return this.settingsView();
  }

  /**
   * Writes the settings file atomically, tells listeners, and restarts a running engine when a setting
   * it fixes at start changed. Stopping lets in-flight uploads stop at a safe point; the ledger resumes them.
   */
  private async saveSettingsAndApply(restartEngine: boolean): Promise<void> {
    await saveSettings(this.options.settingsFile, this.settings);
    this.events.emit('settingsChanged', this.settingsView());
    if (restartEngine && this.engine) {
      await this.stop();
      await this.start();
    }
  }

  async setSecret(providerId: string, secret: string): Promise<void> {
    this.provider(providerId);
    if (!secret) throw new ServiceError('empty-secret', 'The secret is empty: nothing was stored');
    await this.secrets.setSecret(providerId, secret);
  }

  async deleteSecret(providerId: string): Promise<boolean> {
    return this.secrets.deleteSecret(providerId);
  }

  /**
   * The connection test of PRODUCT.md §3 against a provider (default: the active one). What it learns
   * (conditional writes honoured or not) is kept in the ledger for the engine.
   */
  async testConnection(providerId?: string): Promise<ProbeResult> {
    const id = providerId ?? this.settings.activeStorage;
    if (id === LOCAL_STORAGE) throw new ServiceError('no-provider', 'The active storage is Local (this machine): name a provider to test (--provider ID)');
    const settings = this.provider(id);
    const resolved = resolveProvider({ ...settings, enabled: true });
    if (!resolved.ok) throw new ServiceError('provider-incomplete', resolved.reason);
    const credentials = await credentialsFor(settings, this.secrets);
    if (!credentials && !providerCatalog[settings.type as ProviderType].defaultCredentialChain) {
      return {
        providerId: id,
        ok: false,
        failure: { step: 'credentials', code: 'no-credentials', message: `No access key and secret for provider "${id}"`, fix: `Store the secret (offload secret set ${id}) and the access key ID, or set ${envPrefix(id)}ACCESS_KEY_ID and ${envPrefix(id)}SECRET_ACCESS_KEY.` },
        warnings: [],
        probeKey: null,
        learned: { conditionalWrites: null, writeOnly: false },
      };
    }
    const client = this.clientFor(resolved.provider, credentials, { maxAttempts: 1 });
    try {
      const result = await runConnectionTest({ provider: resolved.provider, client });
      if (result.learned.conditionalWrites !== null) this.ledger.setProviderFact(id, 'conditionalWrites', result.learned.conditionalWrites);
      return result;
    } finally {
      client.destroy();
    }
  }

  /** Starts watching and offloading. */
  async start(): Promise<void> {
    if (this.engine) return;
    this.engine = new OffloadEngine({
      settings: this.settings,
      ledger: this.ledger,
      secrets: this.secrets,
      events: this.events,
      trash: this.options.trash ?? moveToFreedesktopTrash,
      ...(this.options.createClient ? { createClient: this.options.createClient } : {}),
    });
    await this.engine.start();
  }

  /**
   * Offloads what is finished now and stops: every file present when called is settled, offloaded (or
   * skipped by policy) and verified. `ok` is false when any file failed or hit a conflict, or the
   * ledger could not be written.
   */
  async runOnce(): Promise<{ ok: boolean; files: FileRecord[] }> {
    const touched = new Map<number, FileRecord>();
    const off = this.events.on('fileChanged', (row) => touched.set(row.id, row));
    let halted: string | null;
    try {
      await this.start();
      let idleChecks = 0;
      while (idleChecks < 3) {
        await new Promise((r) => setTimeout(r, 50));
        idleChecks = this.engine!.isIdle() ? idleChecks + 1 : 0;
      }
      // The ledger could not be written: the run did not finish, whatever the files' last states say.
      halted = this.engine!.haltedBy();
    } finally {
      off();
      await this.stop();
    }
    const files = [...touched.values()];
    return { ok: halted === null && files.every((f) => !failedStates.has(f.state) && f.errorCode !== 'provider-unusable'), files };
  }

  status(): StatusView {
    return { engine: this.engine?.status() ?? null, counts: this.ledger.counts(), activeStorage: this.settings.activeStorage };
  }

  list(query: ListQuery = {}): FileRecord[] {
    return this.ledger.list(query);
  }

  /** One page of the offload log, newest first, with the number of rows the filter matches. */
  logPage(filter: LogFilter, limit: number, offset: number): LogPage {
    return { rows: this.ledger.list({ ...filter, limit, offset }), total: this.ledger.count(filter) };
  }

  timeline(id: number): TimelineEntry[] {
    this.row(id);
    return this.ledger.timeline(id);
  }

  /** Every row the filter matches, as CSV or JSON. */
  exportLog(format: 'csv' | 'json', filter: LogFilter): ExportedLog {
    return exportLog(this.ledger.list(filter), format);
  }

  row(id: number): FileRecord {
    const row = this.ledger.get(id);
    if (!row) throw new ServiceError('not-tracked', `No file with id ${id} in the offload log`);
    return row;
  }

  retry(id: number): boolean {
    return this.engine?.retry(id) ?? false;
  }

  pause(): void {
    this.engine?.pause();
  }

  resume(): void {
    this.engine?.resume();
  }

  /**
   * The link to an offloaded file: the public / CDN URL when the provider has one and no presign was
   * asked for, otherwise a presigned GET. Resolves through the provider the file was stored with, even
   * if that provider is no longer active or enabled.
   */
  async linkFor(path: string, presignSeconds?: number): Promise<LinkResult> {
    const row = this.ledger.latestForPath(resolve(path));
    if (!row) throw new ServiceError('not-tracked', `${path}: not in the offload log`);
    return this.linkForRow(row, presignSeconds);
  }

  async linkForId(id: number, presignSeconds?: number): Promise<LinkResult> {
    return this.linkForRow(this.row(id), presignSeconds);
  }

  private async linkForRow(row: FileRecord, presignSeconds?: number): Promise<LinkResult> {
    const { provider, key } = this.storedWith(row);
    if (presignSeconds === undefined && provider.publicUrl) return { url: publicUrlFor(provider.publicUrl, key), expiresIn: null };
    return this.withStore(row, provider, async (store) => {
      const expiresIn = presignSeconds ?? 3600;
      return { url: await store.presignGet(key, expiresIn), expiresIn };
    });
  }

  /**
   * Deletes an offloaded file's object from the bucket at the user's request. Refused when the local
   * copy is gone or differs in size: the bucket would then hold the only copy, and deleting it would
   * lose the file.
   */
  async deleteRemote(id: number): Promise<FileRecord> {
    const row = this.row(id);
    const { provider, key } = this.storedWith(row);
    const local = await stat(row.path).catch(() => null);
    if (!local?.isFile() || local.size !== row.size) {
      throw new ServiceError('only-copy', `${row.path}: the local copy is gone or changed, so the bucket holds the only copy; it was not deleted`);
    }
    await this.withStore(row, provider, (store) => store.delete(key));
    const deleted = this.ledger.transition(row.id, 'remote-deleted', {}, `deleted ${key} from the bucket at the user's request`);
    this.events.emit('fileChanged', deleted);
    return deleted;
  }

  /** The provider and key a verified row was stored under, even if that provider is no longer active. */
  private storedWith(row: FileRecord): { provider: ProviderSettings; key: string } {
    if (!verifiedStates.has(row.state) || !row.key || !row.providerId) throw new ServiceError('not-offloaded', `${row.path}: not offloaded (state: ${row.state}${row.lastError ? `, ${row.lastError}` : ''})`);
    const provider = this.settings.providers.find((p) => p.id === row.providerId);
    if (!provider) throw new ServiceError('provider-gone', `${row.path}: it was stored with provider "${row.providerId}", which is no longer configured`);
    return { provider, key: row.key };
  }

  private async withStore<T>(row: FileRecord, provider: ProviderSettings, use: (store: S3ObjectStore) => Promise<T>): Promise<T> {
    const resolved = resolveProvider({ ...provider, enabled: true });
    if (!resolved.ok) throw new ServiceError('provider-unusable', resolved.reason);
    const client = this.clientFor(resolved.provider, await credentialsFor(provider, this.secrets));
    try {
      return await use(new S3ObjectStore(client, row.bucket ?? resolved.provider.bucket));
    } finally {
      client.destroy();
    }
  }

  async stop(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    await engine?.stop();
  }

  /** Stops and closes the ledger. Idempotent. */
  async close(): Promise<void> {
    await this.stop();
    this.ledger.close();
  }
}
