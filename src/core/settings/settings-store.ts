/**
 * The one owner of the running settings. A change is validated, saved atomically, and only then
 * committed in memory and announced: a change that fails to validate or to save leaves the running
 * settings exactly as they were (and the file too), and says which file and what to do.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Settings } from '../../shared/settings';
import { loadSettings, parseSettings, saveSettings, SettingsError } from './settings-file';

/** What an outside edit of the settings file led to. */
export type OutsideEdit = { applied: true; before: Readonly<Settings>; after: Readonly<Settings> } | { applied: false; error: unknown };

/** How long the file must be quiet before it is read again (editors write in several steps). */
const QUIET_MS = 150;

export class SettingsStore {
  private value: Settings;
  private saving = 0;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly file: string,
    initial: Settings,
    /** Called after a change is committed. */
    private readonly onChanged: (settings: Readonly<Settings>) => void,
  ) {
    this.value = initial;
  }

  /** The running settings. Never mutate it: change through `update`. */
  get current(): Readonly<Settings> {
    return this.value;
  }

  /** Validates → saves atomically → commits → announces. Returns the new settings. */
  async update(change: (draft: Settings) => void): Promise<Readonly<Settings>> {
    const draft = structuredClone(this.value);
    change(draft);
    const next = parseSettings(draft, this.file);
    this.saving++;
    try {
      await saveSettings(this.file, next);
    } catch (error) {
      throw new SettingsError(
        'settings-unwritable',
        `${this.file}: the settings could not be saved (${(error as Error).message}); nothing was changed`,
        `Make ${dirname(this.file)} writable for you (and check the disk has space), then try again.`,
        undefined,
        { cause: error },
      );
    } finally {
      this.saving--;
    }
    this.value = next;
    this.onChanged(next);
    return next;
  }

  /**
   * Reads the file again and commits what another writer (the `offload` command, an editor) put there.
   * An invalid edit changes nothing: the last good settings stay, and the error names the field.
   */
  async reload(): Promise<OutsideEdit | null> {
    let next: Settings;
    try {
      next = await loadSettings(this.file);
    } catch (error) {
      return { applied: false, error };
    }
    if (JSON.stringify(next) === JSON.stringify(this.value)) return null; // our own save, or no change
    const before = this.value;
    this.value = next;
    this.onChanged(next);
    return { applied: true, before, after: next };
  }

  /**
   * Watches the file for outside edits (its folder, since saves replace the file by renaming) and
   * reports each after the file is quiet for a moment. Returns the stop function; idempotent.
   */
  watch(onEdit: (edit: OutsideEdit) => void): () => void {
    if (!this.watcher) {
      const name = basename(this.file);
      this.watcher = watch(dirname(this.file), (_event, changed) => {
        if (changed !== null && changed !== name && !changed.startsWith(`${name}.tmp`)) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.settle(onEdit), QUIET_MS);
      });
      this.watcher.on('error', () => undefined); // the folder vanished: nothing left to watch
    }
    return () => this.unwatch();
  }

  private async settle(onEdit: (edit: OutsideEdit) => void): Promise<void> {
    this.timer = null;
    if (this.saving > 0) {
      // Our own save is in flight: look again once it has landed.
      this.timer = setTimeout(() => void this.settle(onEdit), QUIET_MS);
      return;
    }
    const edit = await this.reload();
    if (edit) onEdit(edit);
  }

  private unwatch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }
}
