/**
 * `service.media`: thumbnails and previews for the window's gallery (issue #18), answered as plain
 * responses for main's app:// handler and the test bridge (media-route.ts names the URLs).
 *
 * Thumbnails: made in the background as files are offloaded (background-thumbnails.ts), or when first
 * asked for (from the local copy if it is still the offloaded file, else from the bucket), cached by
 * content hash beside the ledger (thumbnail-cache.ts). At most two are made at a time. A file that is
 * not an image or video, or whose decoder is missing here, gets a type icon: a missing decoder is said
 * once (a notice), a corrupt file once in its timeline; neither ever changes the file's offload state.
 *
 * Previews: an image's own bytes (the local copy, else streamed from the bucket through the provider
 * session — no credential or presigned URL reaches the window), a TIFF converted to WebP, a video's
 * poster frame.
 */
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvents } from '../../shared/events';
import type { FileRecord } from '../../shared/ledger';
import type { ProviderSettings } from '../../shared/settings';
import type { TypedEmitter } from '../events';
import type { Ledger } from '../ledger/ledger';
import type { SecretStore } from '../secrets/secret-store';
import { BackgroundThumbnails } from './background-thumbnails';
import { convertedPreview, firstLine, loadSharp, sharpOnce, type SharpLoader } from './image-codec';
import { DecoderMissing, MediaTooLarge, MediaUnreadable } from './media-errors';
import { browserImageType, mediaKindOf } from './media-kind';
import { failure, icon, picture, type MediaResponse } from './media-response';
import { localSource, openLocalCopy, remoteSource, type MediaSource } from './media-source';
import { ThumbnailCache } from './thumbnail-cache';
import { IMAGE_BYTES_LIMIT, makeThumbnail, type Codecs } from './thumbnail-maker';
import { defaultFfmpeg, type FfmpegOptions } from './video-frame';
import { WorkSlots } from './work-slots';

export type { MediaResponse } from './media-response';

export interface MediaOptions {
  /**
   * Off: no thumbnail is made (icons only; previews of browser images still work). Defaults to on,
   * unless OFFLOAD_THUMBNAILS=off is set (the benchmark's switch).
   */
  thumbnails: boolean;
  ffmpeg: Partial<FfmpegOptions>;
  loadSharp: SharpLoader;
  /** Local files the background queue holds open while they wait their turn. */
  maxOpenFiles: number;
}

/** What the facet uses of the service. */
export interface MediaContext {
  ledger: Pick<Ledger, 'get' | 'note' | 'file'>;
  events: TypedEmitter<EngineEvents>;
  /** The providers now (a file keeps resolving to the provider it was stored with). */
  providers(): readonly ProviderSettings[];
  secrets(): SecretStore;
  /** True while uploads run or wait to run: background thumbnails wait for the gap after them. */
  uploading(): boolean;
}

/** The cache folder for a ledger: beside it, like the data folder it lives in. */
export const thumbnailDirFor = (ledgerFile: string): string => join(ledgerFile, '..', 'thumbnails');

/** Thumbnails default to on; OFFLOAD_THUMBNAILS=off turns them off for a run (e.g. a benchmark's baseline). */
export const thumbnailsOnByDefault = (env: NodeJS.ProcessEnv = process.env): boolean => env.OFFLOAD_THUMBNAILS !== 'off';

/** What a thumbnail request found: a picture, a settled icon, or nothing yet (icon for now). */
type Outcome = { thumb: Buffer } | { icon: true } | null;

export class MediaFacet {
  readonly cache: ThumbnailCache;
  private readonly enabled: boolean;
  private readonly codecs: Codecs;
  private readonly slots = new WorkSlots(2);
  private readonly making = new Map<string, Promise<Outcome>>();
  private readonly background: BackgroundThumbnails;
  private readonly said = new Set<string>();
  private readonly stopping = new AbortController();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly ctx: MediaContext,
    options: Partial<MediaOptions> = {},
  ) {
    this.cache = new ThumbnailCache(thumbnailDirFor(ctx.ledger.file));
    this.enabled = options.thumbnails ?? thumbnailsOnByDefault();
    this.codecs = { sharp: sharpOnce(options.loadSharp ?? loadSharp), ffmpeg: { ...defaultFfmpeg, ...options.ffmpeg }, signal: this.stopping.signal };
    this.background = new BackgroundThumbnails({
      maxOpen: options.maxOpenFiles ?? 32,
      // Local copies only: a file already gone is fetched when first shown, never in the background
      // (a move of thousands of old files must not download them all).
      make: async (row, handle) => void (await this.ensure(row, handle, false)),
      mayRun: () => !ctx.uploading(),
    });
  }

  /** Starts making thumbnails as files are offloaded. Idempotent. */
  start(): void {
    if (!this.enabled || this.unsubscribe || this.stopping.signal.aborted) return;
    this.unsubscribe = this.ctx.events.on('fileChanged', (row) => {
      // `verifying`: the hash is known and the local copy is still there (a removal comes after).
      if (row.state === 'verifying' && row.sha256 && mediaKindOf(row.relPath) !== 'other' && !this.cache.hasSync(row.sha256)) void this.background.offer(row);
    });
  }

  /** Stops background work (held files closed, a running ffmpeg stopped). Idempotent; for the service's close. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stopping.abort();
    await this.background.stop();
    await Promise.allSettled([...this.making.values()]);
  }

  /** Files waiting for a background thumbnail. */
  get waiting(): number {
    return this.background.size;
  }

  /** The thumbnail of file `id`: WebP ≤ 320 px, or a type icon (SVG); 404 for an unknown id. */
  async thumbnail(id: number): Promise<MediaResponse> {
    const row = this.ctx.ledger.get(id);
    if (!row) return failure(404, `no file ${id} in the offload log`);
    if (mediaKindOf(row.relPath) === 'other') return icon(row.relPath, true);
    if (!row.sha256) return icon(row.relPath, false); // not hashed yet: a picture comes once it is offloaded
    const outcome = await this.ensure(row, null, true);
    if (outcome && 'thumb' in outcome) return picture('image/webp', outcome.thumb, true);
    return icon(row.relPath, outcome !== null);
  }

  /**
   * The preview of file `id`: an image's own bytes (local copy, else the object), a TIFF as WebP, a
   * video's poster frame; a type icon for other files. 404 for an unknown id or a file with neither a
   * local copy nor a remote object; 502 when the bucket cannot be read.
   */
  async preview(id: number): Promise<MediaResponse> {
    const row = this.ctx.ledger.get(id);
    if (!row) return failure(404, `no file ${id} in the offload log`);
    const kind = mediaKindOf(row.relPath);
    if (kind === 'other') return icon(row.relPath, true);
    if (kind === 'video') return this.poster(row);
    let source: MediaSource | null;
    try {
      source = await this.openSource(row, true);
    } catch (error) {
      return failure(502, `${row.relPath}: the bucket could not be read (${firstLine(error)})`);
    }
    if (!source) return failure(404, `${row.relPath}: there is no local copy and no remote object to show`);
    const type = browserImageType(row.relPath);
    if (type) {
      try {
        return picture(type, await source.stream(), false);
      } catch (error) {
        await source.close();
        return failure(502, `${row.relPath}: the bucket could not be read (${firstLine(error)})`);
      }
    }
    // TIFF: converted; a missing or failing decoder shows the icon, as the thumbnail does.
    try {
      if (!this.enabled) return icon(row.relPath, false);
      return picture('image/webp', await this.slots.run(async () => convertedPreview(await this.codecs.sharp(), await source.bytes(IMAGE_BYTES_LIMIT), row.relPath)), false);
    } catch (error) {
      this.sayIfMissing(error);
      return icon(row.relPath, false);
    } finally {
      await source.close();
    }
  }

  private async poster(row: FileRecord): Promise<MediaResponse> {
    if (!row.sha256) return icon(row.relPath, false);
    const cached = await this.cache.readPoster(row.sha256);
    if (cached) return picture('image/webp', cached, true);
    const outcome = await this.ensure(row, null, true);
    const poster = outcome && 'thumb' in outcome ? await this.cache.readPoster(row.sha256) : null;
    return poster ? picture('image/webp', poster, true) : icon(row.relPath, outcome !== null && !('thumb' in outcome));
  }

  /**
   * The thumbnail of `row` (with its hash), made now if it is not cached: from `handle` when given, else
   * the handle the background queue holds for it, the local copy, or (with `remote`) the bucket. One at a
   * time per content; at most two at a time in all. Never throws: what failed decides the icon and what
   * is said.
   */
  private ensure(row: FileRecord, handle: FileHandle | null, remote: boolean): Promise<Outcome> {
    const sha256 = row.sha256!;
    const running = this.making.get(sha256);
    if (running || !this.enabled) {
      void handle?.close().catch(() => undefined);
      return running ?? Promise.resolve(null);
    }
    const made = (async (): Promise<Outcome> => {
      const held = handle ?? (await this.background.take(sha256));
      const cached = await this.cache.read(sha256).catch(() => null);
      if (cached) {
        await held?.close().catch(() => undefined);
        return cached;
      }
      return this.slots.run(() => this.make(row, held, remote));
    })().finally(() => this.making.delete(sha256));
    this.making.set(sha256, made);
    return made;
  }

  private async make(row: FileRecord, handle: FileHandle | null, remote: boolean): Promise<Outcome> {
    let source: MediaSource | null = null;
    try {
      if (this.stopping.signal.aborted) return null;
      source = handle ? localSource(row, handle) : await this.openSource(row, remote);
      if (!source) return null;
      const made = await makeThumbnail(source, this.codecs);
      await this.cache.write(row.sha256!, made.thumb, made.poster);
      return { thumb: made.thumb };
    } catch (error) {
      return this.failed(row, error);
    } finally {
      if (source) await source.close();
      else await handle?.close().catch(() => undefined);
    }
  }

  /** The local copy when it is still the file offloaded, else (with `remote`) the object; null when neither exists. */
  private async openSource(row: FileRecord, remote: boolean): Promise<MediaSource | null> {
    const handle = await openLocalCopy(row);
    if (handle) return localSource(row, handle);
    return remote ? remoteSource(row, this.ctx.providers(), this.ctx.secrets(), () => this.cache.tempFile(), this.stopping.signal) : null;
  }

  /**
   * What a failure means: a missing decoder is said once and nothing is cached (installing it brings
   * pictures back); an unreadable or oversized file is marked "icon" and noted in its timeline; anything
   * else (the file gone, the bucket unreachable) is passing, and tried again when next shown.
   */
  private async failed(row: FileRecord, error: unknown): Promise<Outcome> {
    if (this.sayIfMissing(error)) return null;
    if (!(error instanceof MediaUnreadable || error instanceof MediaTooLarge)) return null;
    await this.cache.markIcon(row.sha256!).catch(() => undefined);
    try {
      this.ctx.ledger.note(row.id, `thumbnail: ${error.message}; a type icon is shown instead`);
    } catch {
      // The ledger is closing or busy: the icon is cached, the note is not worth a failure.
    }
    return { icon: true };
  }

  /** Says a missing decoder once per service (a notice: the window's and the command's one line). */
  private sayIfMissing(error: unknown): boolean {
    if (!(error instanceof DecoderMissing)) return false;
    if (!this.said.has(error.message)) {
      this.said.add(error.message);
      this.ctx.events.emit('notice', { level: 'info', code: error.code, message: error.message, fix: error.fix });
    }
    return true;
  }
}
