/**
 * Watches one folder recursively with chokidar and reports finished files. Start-up files and new files
 * go through the same settle check (chokidar's awaitWriteFinish skips the initial scan, so it is not
 * used). A rename is an `add` of the new name, so `name.tmp` → `name.png` is a new finished file.
 * Symlinks are not followed (RELIABILITY.md case 16): they are reported so the engine can skip them.
 */
import { watch, type FSWatcher } from 'chokidar';
import { relative, sep } from 'node:path';
import type { WatchFolder } from '../../shared/settings';
import { createPathFilter } from './path-filter';
import { SettleTracker, type SettledFile } from './settle-tracker';

export interface FinishedFile extends SettledFile {
  root: WatchFolder;
  relPath: string;
  /** Present before watching started (found by the start-up scan). */
  initial: boolean;
}

export interface FolderWatcherEvents {
  onFinished: (file: FinishedFile) => void;
  onNotice: (code: string, message: string) => void;
  /** A file set aside by an interrupted local removal (`name.offload-removing`), found by the start-up scan. */
  onLeftover: (path: string) => void;
}

const LEFTOVER_SUFFIX = '.offload-removing';

const toRel = (root: string, path: string): string => relative(root, path).split(sep).join('/');

export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private readonly tracker: SettleTracker;
  private readonly initialPaths = new Set<string>();
  private ready = false;

  constructor(
    readonly folder: WatchFolder,
    settleMs: number,
    private readonly events: FolderWatcherEvents,
  ) {
    this.tracker = new SettleTracker(settleMs, (file) => {
      const initial = this.initialPaths.delete(file.path);
      events.onFinished({ ...file, root: folder, relPath: toRel(folder.path, file.path), initial });
    }, (path) => this.initialPaths.delete(path));
  }

  /** Files seen but not finished yet. */
  get settling(): number {
    return this.tracker.size;
  }

  /** Looks at a file again from scratch, e.g. after it changed during its upload. */
  recheck(path: string): void {
    this.tracker.forget(path);
    this.tracker.observe(path);
  }

  /** Starts watching; resolves when the start-up scan is done. */
  start(): Promise<void> {
    const filter = createPathFilter(this.folder);
    const root = this.folder.path;
    return new Promise((resolve) => {
      this.watcher = watch(root, {
        persistent: true,
        ignoreInitial: false,
        followSymlinks: false,
        alwaysStat: true,
        ignored: (path, stats) => {
          const rel = toRel(root, path);
          if (rel.startsWith('..')) return true;
          if (rel.endsWith(LEFTOVER_SUFFIX)) return false; // reported to the engine, never offloaded
          if (stats?.isDirectory()) return !filter.acceptsDir(rel);
          return stats ? !filter.acceptsFile(rel) : !filter.acceptsDir(rel);
        },
      });
      const seen = (path: string, stats?: { size: number; mtimeMs: number }): void => {
        if (path.endsWith(LEFTOVER_SUFFIX)) {
          // Only the start-up scan finds leftovers of an earlier run; later ones are this run's own
          // removals in progress and must not be touched.
          if (!this.ready) this.events.onLeftover(path);
          return;
        }
        if (!this.ready) this.initialPaths.add(path);
        this.tracker.observe(path, stats ? { size: stats.size, mtimeMs: stats.mtimeMs } : null);
      };
      this.watcher.on('add', seen);
      this.watcher.on('change', seen);
      this.watcher.on('unlink', (path) => this.tracker.forget(path));
      this.watcher.on('unlinkDir', (path) => {
        if (path === root) this.events.onNotice('watch-folder-missing', `Watch folder ${root} is gone: offloading from it has stopped.`);
      });
      this.watcher.on('error', (error) => this.events.onNotice('watch-error', `Watching ${root} failed: ${(error as Error).message}`));
      this.watcher.on('ready', () => {
        this.ready = true;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.tracker.close();
    const w = this.watcher;
    this.watcher = null;
    await w?.close();
  }
}
