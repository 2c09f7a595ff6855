/**
 * Loads and saves the settings file (one JSON file for the app and the command). Loading validates with
 * the shared schema and names the field at fault; a file that is not JSON is copied aside as a backup
 * and reported, never reset. Saving is atomic: temp file, fsync, rename.
 */
import { copyFile, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fieldPath, settingsSchema, type Settings } from '../../shared/settings';
import { CoreError } from '../errors';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files';
import { migrateLegacySettings } from './legacy-settings';

export class SettingsError extends CoreError {
  constructor(
    code: 'settings-missing' | 'settings-corrupt' | 'settings-invalid' | 'settings-unwritable',
    message: string,
    fix: string,
    /** Where a corrupt file was copied before anything else happened. */
    readonly backupPath?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, fix, options);
  }
}

/** Parses settings from already-read JSON, naming the first field at fault. */
export function parseSettings(raw: unknown, source: string): Settings {
  const parsed = settingsSchema.safeParse(migrateLegacySettings(raw));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldPath(issue.path) || '(top level)';
  throw new SettingsError('settings-invalid', `${source}: ${field}: ${issue.message}`, `Correct ${field} in ${source} (docs/settings.md describes every field).`);
}

export async function loadSettings(file: string, options: { createIfMissing?: boolean } = {}): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!options.createIfMissing) {
      throw new SettingsError('settings-missing', `${file}: settings file not found.`, 'Pass --config FILE or create it (see docs/settings.md).');
    }
    const defaults = settingsSchema.parse({});
    await saveSettings(file, defaults);
    return defaults;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const backupPath = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(file, backupPath);
    throw new SettingsError(
      'settings-corrupt',
      `${file}: not valid JSON (${(error as Error).message}). A copy was kept at ${backupPath}.`,
      'Fix or remove the file.',
      backupPath,
    );
  }
  return parseSettings(raw, file);
}

/** Writes the whole file atomically, so a crash leaves either the old or the new settings. */
export async function saveSettings(file: string, settings: Settings): Promise<void> {
  const valid = settingsSchema.parse(settings);
  // A folder made here is the companion's data folder: private to the user from the start.
  await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(`${JSON.stringify(valid, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
