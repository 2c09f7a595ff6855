/**
 * The settings facets (IPC groups `storage`, `watch`, `settings`): which storage is active, which folders
 * are watched, and the upload options of the General screen. Every change goes through the settings
 * store (validated → saved atomically → committed → announced).
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import type { SettingsView } from '../../shared/events';
import type { AfterUploadSettings } from '../../shared/after-upload';
import type { RetentionPolicy } from '../../shared/retention';
import type { UploadOptions } from '../../shared/ipc/contract';
import { LOCAL_STORAGE, watchFolderSchema, type Settings, type WatchFolder } from '../../shared/settings';
import { readinessOf } from '../providers/provider-session';
import { ServiceError } from '../service-error';
import type { ServiceContext } from './context';
import { providerById } from './providers';

/** Path equality as the file system sees it: Windows and (by default) macOS ignore case. */
function samePath(a: string, b: string): boolean {
  return process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase();
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The settings the window and tray show. */
export function settingsView(settings: Readonly<Settings>): SettingsView {
  return { activeStorage: settings.activeStorage, watchFolders: structuredClone(settings.watchFolders), upload: structuredClone(settings.upload), retention: structuredClone(settings.retention) };
}

export class StorageFacet {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Makes a ready provider (or Local) the default storage. New files go there; files already offloaded
   * keep resolving to where they were stored (PRODUCT.md §4).
   */
  async setActive(id: string): Promise<SettingsView> {
    if (id !== LOCAL_STORAGE) {
      const provider = providerById(this.ctx, id);
      if (provider.retired) {
        throw new ServiceError('provider-retired', `Provider "${id}" is retired: it keeps the files it holds, but takes no new ones`, 'Choose another provider, or add this bucket again as a new provider.');
      }
      const { status, issues } = await readinessOf(provider, this.ctx.secrets());
      if (status !== 'ready') {
        const first = issues[0];
        throw new ServiceError(
          'provider-not-ready',
          `Provider "${id}" is not ready${first ? ` (${first.field}: ${first.message})` : status === 'disabled' ? ' (it is disabled)' : ''}: finish its settings first`,
          first ? `Fix ${first.field} in the provider's settings, then choose it again.` : 'Enable the provider, then choose it again.',
        );
      }
    }
    if (id === this.ctx.settings.current.activeStorage) return settingsView(this.ctx.settings.current);
    return settingsView(await this.ctx.change((draft) => void (draft.activeStorage = id), () => true));
  }
}

export class WatchFacet {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Adds a watch folder: it must pass the schema's path rules, must not be the user's home folder itself,
   * must exist, and may not contain or sit inside another one (files would go twice).
   */
  async add(input: unknown): Promise<SettingsView> {
    const folder = watchFolderSchema.parse(input);
    folder.path = resolve(folder.path);
    const choose = 'Choose the folder your results are saved in.';
    if (samePath(folder.path, resolve(homedir()))) throw new ServiceError('home-folder', `${folder.path} is your home folder itself: choose a folder inside it, such as one for your results`, choose);
    const info = await stat(folder.path).catch(() => null);
    if (!info?.isDirectory()) throw new ServiceError('not-a-folder', `${folder.path}: not an existing folder`, `Create ${folder.path} first, or ${choose.toLowerCase()}`);
    for (const other of this.ctx.settings.current.watchFolders) {
      if (other.path === folder.path) throw new ServiceError('already-watched', `${folder.path} is already a watch folder`, 'Nothing to do: it is watched.');
      if (isInside(folder.path, other.path) || isInside(other.path, folder.path)) {
        throw new ServiceError('nested-watch-folder', `${folder.path} overlaps the watch folder ${other.path}: watch one of them, not both`, `Remove ${other.path} first, or watch only one of the two.`);
      }
    }
    return settingsView(await this.ctx.change((draft) => void draft.watchFolders.push(folder), () => true));
  }

  /** Stops watching a folder. Its files stay where they are, and the log keeps their rows. */
  async remove(path: string): Promise<SettingsView> {
    const target = resolve(path);
    if (!this.ctx.settings.current.watchFolders.some((f) => f.path === target)) throw new ServiceError('not-watched', `${target} is not a watch folder`, 'Check the path: the watch folders are listed on the Watch folders screen.');
    return settingsView(await this.ctx.change((draft) => void (draft.watchFolders = draft.watchFolders.filter((f) => f.path !== target)), () => true));
  }

  /**
   * Gives a watch folder its own after-upload actions (src/core/after-upload/), or with null hands it
   * back to the General ones. Read when each upload finishes: the engine keeps running.
   */
  setAfterUpload(path: string, afterUpload: AfterUploadSettings | null): Promise<SettingsView> {
    return this.changeFolder(path, (folder) => {
      if (afterUpload) folder.afterUpload = afterUpload;
      else delete folder.afterUpload;
    });
  }

  /** Gives a watch folder its own retention policy, or with null hands it back to the General one. Read live. */
  setRetention(path: string, retention: RetentionPolicy | null): Promise<SettingsView> {
    return this.changeFolder(path, (folder) => {
      if (retention) folder.retention = retention;
      else delete folder.retention;
    });
  }

  /** Changes a watch folder's own settings that are read live (no engine restart). */
  private async changeFolder(path: string, change: (folder: WatchFolder) => void): Promise<SettingsView> {
    const target = resolve(path);
    if (!this.ctx.settings.current.watchFolders.some((f) => f.path === target)) throw new ServiceError('not-watched', `${target} is not a watch folder`, 'Check the path: the watch folders are listed on the Watch folders screen.');
    return settingsView(await this.ctx.change((draft) => change(draft.watchFolders.find((f) => f.path === target)!), () => false));
  }
}

export class SettingsFacet {
  constructor(private readonly ctx: ServiceContext) {}

  /** The running settings (read-only; change them through the facets). */
  get current(): Readonly<Settings> {
    return this.ctx.settings.current;
  }

  view(): SettingsView {
    return settingsView(this.ctx.settings.current);
  }

  /** Concurrency, settle time, conflict policy and bandwidth limit from the window's General screen. */
  async saveUpload(options: UploadOptions): Promise<SettingsView> {
    const after = await this.ctx.change(
      (draft) => void (draft.upload = { ...draft.upload, ...options }),
      // Concurrency, conflict policy and bandwidth are read live; the settle window is fixed per engine.
      (before, next) => next.upload.settleMs !== before.upload.settleMs,
    );
    return settingsView(after);
  }

  /** The General retention policy (read per file and per pass: the engine keeps running). */
  async saveRetention(retention: RetentionPolicy): Promise<SettingsView> {
    return settingsView(await this.ctx.change((draft) => void (draft.retention = retention), () => false));
  }
}
