/**
 * The one owner of the running settings. A change is validated, saved atomically, and only then
 * committed in memory and announced: a change that fails to validate or to save leaves the running
 * settings exactly as they were (and the file too), and says which file and what to do.
 */
import { dirname } from 'node:path';
import type { Settings } from '../../shared/settings';
import { parseSettings, saveSettings, SettingsError } from './settings-file';

export class SettingsStore {
  private value: Settings;

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
    }
    this.value = next;
    this.onChanged(next);
    return next;
  }
}
