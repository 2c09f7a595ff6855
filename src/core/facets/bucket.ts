/**
 * The bucket facet (IPC group `bucket`, `offload ls --remote`): what a provider's bucket holds under its
 * key prefix, a page at a time (ListObjectsV2), kept in memory until Refresh, each object marked with
 * the offload log's row when this machine knows it (same provider, bucket and key). `adopt` adds objects
 * another machine or tool uploaded to the log as remote-only files, so links, previews and bringing back
 * work for them as for files offloaded here (docs/engine.md "Adopting objects from the bucket").
 */
import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { BUCKET_PAGE_SIZE, listingPrefix, type AdoptResult, type BucketObject, type BucketPage } from '../../shared/bucket';
import type { FileRecord } from '../../shared/ledger';
import type { ProviderSettings } from '../../shared/settings';
import { CoreError } from '../errors';
import { nameBeside } from '../offload/local-removal';
import { publicUrlFor } from '../offload/object-key';
import { META_MTIME, META_SHA256 } from '../offload/remote-match';
import { openProviderSession } from '../providers/provider-session';
import { ServiceError } from '../service-error';
import { classifyS3Error } from '../storage/s3-errors';
import type { ListedObject, S3ObjectStore } from '../storage/s3-object-store';
import type { ServiceContext } from './context';
import { providerById } from './providers';

/** Pages kept over all providers; the oldest goes first (an evicted page is read again by its token). */
const MAX_CACHED_PAGES = 100;
/** Names tried for an adopted file before giving up: the key's own path, then "(from bucket N)" beside it. */
const MAX_NAME_TRIES = 20;
const sha256Hex = /^[0-9a-f]{64}$/;

interface CachedPage {
  objects: ListedObject[];
  nextToken: string | null;
  cachedAt: number;
}

/**
 * A key's path below the prefix as local path segments, or a ServiceError: a key outside the prefix, a
 * folder marker (`dir/`), or a segment that would not stay a plain name in the watch folder.
 */
export function keySegments(key: string, prefix: string, providerId: string): string[] {
  if (!key.startsWith(prefix) || key.length === prefix.length) {
    throw new ServiceError(
      'outside-prefix',
      `"${key}" is not under the key prefix "${prefix}" of provider "${providerId}", so it cannot be added to the library; nothing was added`,
      `Add only objects the bucket view lists for "${providerId}", or change its key prefix to one they are under.`,
    );
  }
  const segments = key.slice(prefix.length).split('/');
  if (segments.at(-1) === '') throw new ServiceError('not-a-file', `"${key}" is a folder marker, not a file; nothing was added`, 'Select the files inside it instead.');
  const reserved = process.platform === 'win32' ? /[\\\0<>:"|?*]/ : /[\\\0]/;
  const bad = segments.find((s) => s === '' || s === '.' || s === '..' || reserved.test(s));
  if (bad !== undefined) {
    throw new ServiceError(
      'unsafe-key',
      `"${key}" cannot be a file name in the watch folder (the part "${bad}" is empty, "." or "..", or holds a character file names here cannot); nothing was added`,
      'Rename the object in the bucket, or download it yourself with a presigned link.',
    );
  }
  return segments;
}

export class BucketFacet {
  /** Pages by provider id, where it points, page size and token (pageKey). */
  private readonly pages = new Map<string, CachedPage>();

  constructor(private readonly ctx: ServiceContext) {}

  /**
   * One page of the objects under the provider's key prefix: from memory when read before (until
   * `refresh`), else from the bucket. `known` is looked up in the log on every call, so it follows adopts
   * and uploads without a refresh.
   */
  async list(providerId: string, token?: string, pageSize = BUCKET_PAGE_SIZE): Promise<BucketPage> {
    const provider = providerById(this.ctx, providerId);
    const cacheKey = pageKey(provider, pageSize, token);
    let page = this.pages.get(cacheKey);
    if (!page) {
      page = await this.withStore(provider, (store) => this.readPage(store, provider, token, pageSize));
      this.remember(cacheKey, page);
    }
    return { objects: this.marked(provider, page.objects), nextToken: page.nextToken, cachedAt: page.cachedAt };
  }

  /** Forgets the provider's pages and reads the first one again from the bucket. */
  refresh(providerId: string, pageSize = BUCKET_PAGE_SIZE): Promise<BucketPage> {
    const provider = providerById(this.ctx, providerId);
    for (const key of [...this.pages.keys()]) if (key.startsWith(`${provider.id}\n`)) this.pages.delete(key);
    return this.list(provider.id, undefined, pageSize);
  }

  /** Every object under the prefix, read now (no cache), one page at a time to `onPage` (`offload ls --remote`). */
  async listAll(providerId: string, onPage: (objects: BucketObject[]) => void): Promise<void> {
    const provider = providerById(this.ctx, providerId);
    await this.withStore(provider, async (store) => {
      let token: string | undefined;
      do {
        const page = await this.readPage(store, provider, token, BUCKET_PAGE_SIZE);
        onPage(this.marked(provider, page.objects));
        token = page.nextToken ?? undefined;
      } while (token);
    });
  }

  /**
   * Adds objects of the provider's bucket to the log as remote-only files (docs/engine.md "Adopting
   * objects from the bucket"). Every key is checked first — outside the prefix, or not a safe file name:
   * the request is refused and nothing is added. A key the log knows already is left as it is.
   */
  async adopt(providerId: string, keys: readonly string[]): Promise<AdoptResult> {
    const provider = providerById(this.ctx, providerId);
    const prefix = listingPrefix(provider.keyPrefix);
    const planned = [...new Set(keys)].map((key) => ({ key, segments: keySegments(key, prefix, provider.id) }));
    const root = this.ctx.settings.current.watchFolders[0]?.path;
    if (!root) {
      throw new ServiceError('no-watch-folder', 'Objects from the bucket are added to the library under the first watch folder, and there is none; nothing was added', 'Add a watch folder first (Watch folders), then add the objects.');
    }
    const result: AdoptResult = { added: [], alreadyKnown: [] };
    const todo = planned.filter(({ key }) => {
      const id = this.ctx.ledger.knownObjects(provider.id, provider.bucket, [key]).get(key);
      if (id !== undefined) result.alreadyKnown.push({ key, id });
      return id === undefined;
    });
    if (todo.length === 0) return result;
    await this.withStore(provider, async (store) => {
      for (const { key, segments } of todo) {
        try {
          const row = await this.adoptOne(store, provider, root, key, segments);
          if (typeof row === 'number') {
            result.alreadyKnown.push({ key, id: row });
            continue;
          }
          result.added.push(row);
          this.ctx.events.emit('fileChanged', row);
        } catch (error) {
          const failure = unreadable(provider, error);
          if (result.added.length === 0) throw failure;
          // The ones before it are in the log: say so, rather than suggest nothing happened.
          throw new ServiceError(failure.code, `${failure.message} (${result.added.length} of the ${todo.length} objects were added before it)`, failure.fix, { cause: error });
        }
      }
    });
    return result;
  }

  /**
   * The log's row for one object: its SHA-256 from its metadata, else from reading it once. Returns the
   * id of the row that knows it instead when one appeared meanwhile (a second request for the same key).
   */
  private async adoptOne(store: S3ObjectStore, provider: ProviderSettings, root: string, key: string, segments: string[]): Promise<FileRecord | number> {
    const where = `${store.bucket}/${key}`;
    const head = await store.head(key);
    if (!head) throw new ServiceError('object-missing', `${where} is not in the bucket (deleted since it was listed?); it was not added`, 'Refresh the bucket view and try again.');
    let sha256 = head.metadata[META_SHA256];
    let source = 'from its metadata';
    if (!sha256 || !sha256Hex.test(sha256)) {
      const read = await digestOf(store, key);
      if (read.size !== head.size) throw new ServiceError('object-changed', `${where} changed while it was being read; it was not added`, 'Try again once nothing writes to it.');
      sha256 = read.sha256;
      source = 'computed by reading it';
    }
    const recorded = Date.parse(head.metadata[META_MTIME] ?? '');
    const mtimeMs = Number.isFinite(recorded) ? recorded : (head.lastModified ?? Date.now());
    const { path, relPath } = await this.freePath(root, segments, where);
    const url = provider.publicUrl ? publicUrlFor(provider.publicUrl, key) : null;
    // Checked again with no await before the insert: within this process, one key is adopted once.
    const meanwhile = this.ctx.ledger.knownObjects(provider.id, store.bucket, [key]).get(key);
    if (meanwhile !== undefined) return meanwhile;
    return this.ctx.ledger.insertAdopted(
      { path, watchRoot: root, relPath, size: head.size, mtimeMs, sha256, providerId: provider.id, bucket: store.bucket, key, url },
      `added to the library from ${where} (uploaded from another machine or tool; SHA-256 ${source})`,
    );
  }

  /**
   * Where an adopted file would be brought back: the first watch folder + the key below the prefix, or
   * `name (from bucket).ext` beside it when the log or the disk already has that path (a path whose
   * newest row is someone else's would make the watcher treat a local file as a new version).
   */
  private async freePath(root: string, segments: string[], where: string): Promise<{ path: string; relPath: string }> {
    const natural = join(root, ...segments);
    for (let n = 1; n <= MAX_NAME_TRIES; n++) {
      const path = n === 1 ? natural : nameBeside(natural, n === 2 ? 'from bucket' : `from bucket ${n - 1}`);
      const onDisk = await lstat(path).then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
      );
      if (!onDisk && this.ctx.ledger.latestForPath(path) === null) return { path, relPath: relative(root, path).split(sep).join('/') };
    }
    throw new ServiceError('no-free-name', `${where}: ${natural} and the names beside it are taken (in the log or on disk); it was not added`, 'Rename or move the local files of that name, then add it again.');
  }

  private async readPage(store: S3ObjectStore, provider: ProviderSettings, token: string | undefined, pageSize: number): Promise<CachedPage> {
    const page = await store.list({ prefix: listingPrefix(provider.keyPrefix), maxKeys: pageSize, token });
    return { ...page, cachedAt: Date.now() };
  }

  private marked(provider: ProviderSettings, objects: readonly ListedObject[]): BucketObject[] {
    const known = this.ctx.ledger.knownObjects(provider.id, provider.bucket, objects.map((o) => o.key));
    return objects.map((o) => ({ ...o, known: known.get(o.key) ?? null }));
  }

  private remember(key: string, page: CachedPage): void {
    this.pages.set(key, page);
    for (const oldest of this.pages.keys()) {
      if (this.pages.size <= MAX_CACHED_PAGES) break;
      this.pages.delete(oldest);
    }
  }

  /** A short-lived session on the provider's bucket; an S3 failure becomes a ServiceError naming it. */
  private async withStore<T>(provider: ProviderSettings, use: (store: S3ObjectStore) => Promise<T>): Promise<T> {
    const session = await openProviderSession(provider, this.ctx.secrets());
    try {
      return await use(session.store);
    } catch (error) {
      throw unreadable(provider, error);
    } finally {
      session.dispose();
    }
  }
}

/** A CoreError as it is; an S3 failure as a ServiceError naming the bucket, the cause and the fix. */
function unreadable(provider: ProviderSettings, error: unknown): CoreError {
  if (error instanceof CoreError) return error;
  const cause = classifyS3Error(error);
  const fix =
    cause.code === 'AccessDenied'
      ? `Give the key of "${provider.id}" permission to list and read the bucket (s3:ListBucket, s3:GetObject), then try again.`
      : `Check the connection and provider "${provider.id}" (offload test --provider ${provider.id}), then try again.`;
  return new ServiceError('bucket-unreadable', `${provider.bucket}: the bucket could not be read (${cause.message})`, fix, { cause: error });
}

/** The cache key of a page: the provider, where it points now (a changed bucket or prefix is another listing), size and token. */
function pageKey(provider: ProviderSettings, pageSize: number, token: string | undefined): string {
  const where = JSON.stringify([provider.type, provider.endpoint ?? null, provider.region ?? null, provider.accountId ?? null, provider.bucket, listingPrefix(provider.keyPrefix)]);
  return `${provider.id}\n${where}\n${pageSize}\n${token ?? ''}`;
}

/** An object's SHA-256 and size, read once as a stream (memory does not grow with its size). */
async function digestOf(store: S3ObjectStore, key: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of (await store.read(key)) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
