/**
 * Opens the engine over the app's profile folder, or says in a dialog why it cannot. A settings file or
 * ledger it cannot read is never reset: the dialog names the file, the reason and the fix, and the caller
 * quits.
 */
import { join } from 'node:path';
import { restrictDir } from '../core/private-files';
import type { WritableSecretStore } from '../core/secrets/keychain-store';
import { OffloadService, type ServiceOptions } from '../core/service';
import { errorDialogText } from './error-text';

export const START_FAILURE_TITLE = 'Offload Companion cannot start';

/**
 * The desktop app's settings file: `$OFFLOAD_CONFIG` when set (as the `offload` command honours it, so
 * both use one file), else in the app's own profile folder (userData).
 */
export function appSettingsFile(userData: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.OFFLOAD_CONFIG || join(userData, 'settings.json');
}

export interface OpenServiceOptions {
  /** Electron's userData folder: the settings file and the ledger live here. */
  userData: string;
  secrets: WritableSecretStore;
  /** The OS trash (src/main/trash-item.ts over Electron's shell); the core's freedesktop trash without it. */
  trash?: ServiceOptions['trash'];
  showError(title: string, text: string): void;
}

/** The open service, or null after the user was shown why it could not open. */
export async function openServiceOrExplain({ userData, secrets, trash, showError }: OpenServiceOptions): Promise<OffloadService | null> {
  try {
    // The profile folder is the app's own: private to the user on every start (the ledger lives here).
    restrictDir(userData);
    const service = await OffloadService.open({ settingsFile: appSettingsFile(userData), createIfMissing: true, secrets, trash, role: 'the Offload Companion app' });
    // Outside edits (the `offload` command, an editor) reach the running app, `offload pause` included.
    service.followSettingsFile();
    return service;
  } catch (error) {
    showError(START_FAILURE_TITLE, errorDialogText(error));
    return null;
  }
}
