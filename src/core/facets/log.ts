/**
 * The log facet (IPC group `log`): the offload log's rows, pages, timelines and exports, and what a user
 * does with an offloaded file — its link, bringing it back, and deleting its object from the bucket.
 */
import { lstat, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { ExportedLog, LinkResult, LogFilter, LogPage, RestoreResult, TimelineEntry } from '../../shared/ipc/contract';
import { verifiedStates, type FileRecord } from '../../shared/ledger';
import type { ProviderSettings } from '../../shared/settings';
import type { ListQuery } from '../ledger/ledger';
import { exportLog } from '../ledger/log-export';
import { publicUrlFor } from '../offload/object-key';
import { bringBack } from '../offload/restore';
import { openProviderSession } from '../providers/provider-session';
import { fileLockKey } from '../offload/key-lock';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { CoreError } from '../errors';
import { ServiceError } from '../service-error';
import { classifyS3Error } from '../storage/s3-errors';
import type { ServiceContext } from './context';

const notTrackedFix = 'Pick the file from the offload log (offload ls lists it), or wait until it is offloaded.';

export class LogFacet {
  /** Rows being brought back now: a second request for one of them is refused. */
  private readonly restoring = new Set<number>();

  constructor(private readonly ctx: ServiceContext) {}

  list(query: ListQuery = {}): FileRecord[] {
    return this.ctx.ledger.list(query);
  }

  /** One page of the offload log, newest first, with the number of rows the filter matches. */
  page(filter: LogFilter, limit: number, offset: number): LogPage {
    return { rows: this.ctx.ledger.list({ ...filter, limit, offset }), total: this.ctx.ledger.count(filter) };
  }

  row(id: number): FileRecord {
    const row = this.ctx.ledger.get(id);
    if (!row) throw new ServiceError('not-tracked', `No file with id ${id} in the offload log`, notTrackedFix);
    return row;
  }

  /** The newest row of a local path, or null when it was never seen. */
  latestForPath(path: string): FileRecord | null {
    return this.ctx.ledger.latestForPath(resolve(path));
  }

  timeline(id: number): TimelineEntry[] {
    this.row(id);
    return this.ctx.ledger.timeline(id);
  }

  /** Every row the filter matches, as CSV or JSON. */
  export(format: 'csv' | 'json', filter: LogFilter): ExportedLog {
    return exportLog(this.ctx.ledger.list(filter), format);
  }

  /**
   * The link to an offloaded file: the public / CDN URL when the provider has one and no presign was
   * asked for, otherwise a presigned GET. Resolves through the provider the file was stored with, even
   * if that provider is no longer active or enabled.
   */
  link(id: number, presignSeconds?: number): Promise<LinkResult> {
    return this.linkForRow(this.row(id), presignSeconds);
  }

  linkForPath(path: string, presignSeconds?: number): Promise<LinkResult> {
    const row = this.latestForPath(path);
    if (!row) throw new ServiceError('not-tracked', `${path}: not in the offload log`, notTrackedFix);
    return this.linkForRow(row, presignSeconds);
  }

  /**
   * Deletes an offloaded file's object from the bucket at the user's request. Refused when the local
   * copy is gone or differs in size: the bucket would then hold the only copy, and deleting it would
   * lose the file.
   */
  async deleteRemote(id: number): Promise<FileRecord> {
    // Never while a retention pass or the upload's own removal is deciding about its local copy.
    const release = await this.ctx.keyLock.acquire(fileLockKey(id));
    try {
      return await this.deleteRemoteLocked(id);
    } finally {
      release();
    }
  }

  private async deleteRemoteLocked(id: number): Promise<FileRecord> {
    const row = this.row(id);
    const { provider, key } = this.storedWith(row);
    const local = await stat(row.path).catch(() => null);
    if (!local?.isFile() || local.size !== row.size) {
      throw new ServiceError('only-copy', `${row.path}: the local copy is gone or changed, so the bucket holds the only copy; it was not deleted`, 'Bring the file back first, or keep the copy in the bucket.');
    }
    await this.withStore(row, provider, (store) => store.delete(key));
    const deleted = this.ctx.ledger.transition(row.id, 'remote-deleted', {}, `deleted ${key} from the bucket at the user's request`);
    this.ctx.events.emit('fileChanged', deleted);
    return deleted;
  }

  /**
   * Brings an offloaded file back from the bucket it was stored in (restore.ts): verified against the
   * ledger's SHA-256, with its recorded mtime, never over a different file (that one is kept and the copy
   * goes beside it as `name (restored).ext`). Back at its own place, the row is `offloaded` again with
   * `restored`, so the watcher neither uploads it again nor removes it. With `to`, a copy goes to
   * `to/<path in its watch folder>` instead, and the row only notes it.
   */
  async restore(id: number, options: { to?: string | undefined } = {}): Promise<RestoreResult> {
    const row = this.row(id);
    const { provider, key } = this.storedWith(row);
    if (!row.sha256) throw new ServiceError('no-checksum', `${row.path}: the log has no SHA-256 for it, so a restored copy could not be verified; nothing was restored`, 'Download it from the bucket yourself (offload url PATH --presign 600).');
    const to = options.to === undefined ? null : resolve(options.to);
    const target = to ? join(to, row.relPath) : row.path;
    if (!to && row.state === 'offloaded' && (await lstat(row.path).catch(() => null))) {
      throw new ServiceError('already-local', `${row.path}: its local copy was never removed, so there is nothing to bring back`, 'To get a second copy from the bucket, restore it into another folder (offload restore --to DIR).');
    }
    if (this.restoring.has(id)) throw new ServiceError('restore-in-progress', `${row.path}: it is being brought back already`, 'Wait for that restore to finish.');
    this.restoring.add(id);
    try {
      const where = `${row.bucket ?? provider.bucket}/${key}`;
      const placed = await this.withStore(row, provider, (store) => bringBack({ store, key, expected: { sha256: row.sha256!, size: row.size, mtimeMs: row.mtimeMs }, target })).catch((error: unknown) => {
        if (error instanceof CoreError) throw error;
        const cause = classifyS3Error(error);
        if (cause.code === 'NoSuchKey' || cause.code === 'NotFound') throw new ServiceError('object-missing', `${row.path}: ${where} is no longer in the bucket; nothing was restored`, 'Look for the file in the bucket (it may have been moved or deleted there); the log keeps its record.', { cause: error });
        throw new ServiceError('restore-failed', `${row.path}: could not bring it back from ${where} (${cause.message}); nothing was restored`, 'Check the connection and the provider (offload test), then try again.', { cause: error });
      });
      const keptOther = placed.path !== target;
      const beside = keptOther ? `; a different file was at ${target}, so it was kept and the restored copy is ${placed.path}` : '';
      let updated: FileRecord;
      if (to) {
        this.ctx.ledger.note(row.id, `a copy was restored from ${where} to ${placed.path}${beside}`);
        updated = this.row(id);
      } else {
        // The row follows the copy (its mtime as the file system kept it, its name when it went beside a
        // different file), so the watcher recognises it as this verified version.
        const moved = keptOther ? { path: placed.path, relPath: relative(row.watchRoot, placed.path).split(sep).join('/') } : {};
        updated = this.ctx.ledger.transition(row.id, 'offloaded', { ...moved, mtimeMs: placed.mtimeMs, errorCode: 'restored', lastError: keptOther ? `restored beside a different file at ${target}` : null }, `restored from ${where}${beside}`);
      }
      this.ctx.events.emit('fileChanged', updated);
      return { path: placed.path, keptOther, row: updated };
    } finally {
      this.restoring.delete(id);
    }
  }

  /** The rows `offload restore --all` brings back: the newest locally removed version of each path. */
  restorable(providerId?: string): FileRecord[] {
    return this.ctx.ledger.latestInStates(['local-removed']).filter((row) => providerId === undefined || row.providerId === providerId);
  }

  private async linkForRow(row: FileRecord, presignSeconds?: number): Promise<LinkResult> {
    const { provider, key } = this.storedWith(row);
    if (presignSeconds === undefined && provider.publicUrl) return { url: publicUrlFor(provider.publicUrl, key), expiresIn: null };
    return this.withStore(row, provider, async (store) => {
      const expiresIn = presignSeconds ?? 3600;
      return { url: await store.presignGet(key, expiresIn), expiresIn };
    });
  }

  /** The provider and key a verified row was stored under, even if that provider is no longer active. */
  private storedWith(row: FileRecord): { provider: ProviderSettings; key: string } {
    if (!verifiedStates.has(row.state) || !row.key || !row.providerId) {
      throw new ServiceError('not-offloaded', `${row.path}: not offloaded (state: ${row.state}${row.lastError ? `, ${row.lastError}` : ''})`, 'Wait until it is offloaded, or retry it from the log.');
    }
    const provider = this.ctx.settings.current.providers.find((p) => p.id === row.providerId);
    if (!provider) throw new ServiceError('provider-gone', `${row.path}: it was stored with provider "${row.providerId}", which is no longer configured`, `Add provider "${row.providerId}" again to reach the files stored with it.`);
    return { provider, key: row.key };
  }

  /** A short-lived session on the bucket the row was stored in. */
  private async withStore<T>(row: FileRecord, provider: ProviderSettings, use: (store: S3ObjectStore) => Promise<T>): Promise<T> {
    const session = await openProviderSession(provider, this.ctx.secrets(), { bucket: row.bucket });
    try {
      return await use(session.store);
    } finally {
      session.dispose();
    }
  }
}
