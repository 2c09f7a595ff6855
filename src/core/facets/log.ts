/**
 * The log facet (IPC group `log`): the offload log's rows, pages, timelines and exports, and what a user
 * does with an offloaded file — its link, and deleting its object from the bucket.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ExportedLog, LinkResult, LogFilter, LogPage, TimelineEntry } from '../../shared/ipc/contract';
import { verifiedStates, type FileRecord } from '../../shared/ledger';
import type { ProviderSettings } from '../../shared/settings';
import type { ListQuery } from '../ledger/ledger';
import { exportLog } from '../ledger/log-export';
import { publicUrlFor } from '../offload/object-key';
import { openProviderSession } from '../providers/provider-session';
import type { S3ObjectStore } from '../storage/s3-object-store';
import { ServiceError } from '../service-error';
import type { ServiceContext } from './context';

const notTrackedFix = 'Pick the file from the offload log (offload ls lists it), or wait until it is offloaded.';

export class LogFacet {
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
