/**
 * OffloadService: the one facade over the engine. The desktop app and the `offload` command both drive
 * the engine only through it: commands in, typed events out.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import type { EngineEvents, EngineStatus } from '../shared/events';
import type { AppInfo } from '../shared/ipc/contract';
import { verifiedStates, type FileRecord, type FileState, type StateCounts } from '../shared/ledger';
import { TypedEmitter } from './events';
import { Ledger, type ListQuery } from './ledger/ledger';
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
import { providerReadiness, type FieldIssue, type ProviderStatus } from '../shared/providers/validate';
import type { ProbeResult } from '../shared/probe';
import { LOCAL_STORAGE, providerSchema, type ProviderSettings, type Settings } from '../shared/settings';
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
  trash?: (path: string) => Promise<void>;
  createClient?: EngineOptions['createClient'];
}

/** What the window and the command may know about a provider: never its secret. */
export interface ProviderView extends ProviderSettings {
  hasSecret: boolean;
  status: ProviderStatus;
  issues: FieldIssue[];
}

export interface LinkResult {
  url: string;
  /** Seconds the link stays valid, for presigned links. */
  expiresIn: number | null;
}

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
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
   * keychain; an empty one keeps the stored secret.
   */
  async saveProvider(input: unknown, secret = ''): Promise<ProviderView> {
    const parsed = providerSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ServiceError('bad-provider', `${issue.path.join('.') || 'provider'}: ${issue.message}`);
    }
    if (secret) await this.secrets.setSecret(parsed.data.id, secret);
    const i = this.settings.providers.findIndex((p) => p.id === parsed.data.id);
    if (i >= 0) this.settings.providers[i] = parsed.data;
    else this.settings.providers.push(parsed.data);
    await saveSettings(this.options.settingsFile, this.settings);
    return (await this.providerViews()).find((v) => v.id === parsed.data.id)!;
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
   * skipped by policy) and verified. `ok` is false when any file failed or hit a conflict.
   */
  async runOnce(): Promise<{ ok: boolean; files: FileRecord[] }> {
    const touched = new Map<number, FileRecord>();
    const off = this.events.on('fileChanged', (row) => touched.set(row.id, row));
    try {
      await this.start();
      let idleChecks = 0;
      while (idleChecks < 3) {
        await new Promise((r) => setTimeout(r, 50));
        idleChecks = this.engine!.isIdle() ? idleChecks + 1 : 0;
      }
    } finally {
      off();
      await this.stop();
    }
    const files = [...touched.values()];
    return { ok: files.every((f) => !failedStates.has(f.state) && f.errorCode !== 'provider-unusable'), files };
  }

  status(): { engine: EngineStatus | null; counts: StateCounts; activeStorage: string } {
    return { engine: this.engine?.status() ?? null, counts: this.ledger.counts(), activeStorage: this.settings.activeStorage };
  }

  list(query: ListQuery = {}): FileRecord[] {
    return this.ledger.list(query);
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
    if (!verifiedStates.has(row.state) || !row.key || !row.providerId) throw new ServiceError('not-offloaded', `${path}: not offloaded (state: ${row.state}${row.lastError ? `, ${row.lastError}` : ''})`);
    const provider = this.settings.providers.find((p) => p.id === row.providerId);
    if (!provider) throw new ServiceError('provider-gone', `${path}: it was stored with provider "${row.providerId}", which is no longer configured`);
    if (presignSeconds === undefined && provider.publicUrl) return { url: publicUrlFor(provider.publicUrl, row.key), expiresIn: null };
    const resolved = resolveProvider({ ...provider, enabled: true });
    if (!resolved.ok) throw new ServiceError('provider-unusable', resolved.reason);
    const credentials = await credentialsFor(provider, this.secrets);
    const client = this.clientFor(resolved.provider, credentials);
    try {
      const expiresIn = presignSeconds ?? 3600;
      return { url: await new S3ObjectStore(client, row.bucket ?? resolved.provider.bucket).presignGet(row.key, expiresIn), expiresIn };
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
