/**
 * OffloadService: the one facade over the engine. The desktop app and the `offload` command both drive
 * the engine only through it: commands in, typed events out.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import type { EngineEvents, EngineStatus } from '../shared/events';
import type { AppInfo } from '../shared/ipc/contract';
import { verifiedStates, type FileRecord, type FileState, type StateCounts } from '../shared/ledger';
import type { Settings } from '../shared/settings';
import { TypedEmitter } from './events';
import { Ledger, type ListQuery } from './ledger/ledger';
import { OffloadEngine, type EngineOptions } from './offload/engine';
import { publicUrlFor } from './offload/object-key';
import { moveToFreedesktopTrash } from './offload/trash';
import { ledgerFileFor } from './paths';
import { credentialsFor, resolveProvider, s3ClientConfig } from './providers/resolve-provider';
import { EnvSecretStore, type SecretStore } from './secrets/secret-store';
import { loadSettings } from './settings/settings-file';
import { S3ObjectStore } from './storage/s3-object-store';
import { productName, productVersion } from './version';

export interface ServiceOptions {
  settingsFile: string;
  /** Defaults to ledger.sqlite next to the settings file. */
  ledgerFile?: string;
  /** Create a default settings file when there is none (the desktop app); the command refuses instead. */
  createIfMissing?: boolean;
  secrets?: SecretStore;
  trash?: (path: string) => Promise<void>;
  createClient?: EngineOptions['createClient'];
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

  private get secrets(): SecretStore {
    return this.options.secrets ?? new EnvSecretStore();
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
    const client = (this.options.createClient ?? ((c) => new S3Client(c)))(s3ClientConfig(resolved.provider, credentials));
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
