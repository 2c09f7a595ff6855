/** What only the desktop can do, for the command table: folder picker, confirmations, browser, file manager, clipboard, pause support. */
import { BrowserWindow, clipboard, dialog, shell } from 'electron';
import type { DesktopPlatform } from '../core/command-handlers';
import { CoreError } from '../core/errors';
import type { PauseSupport } from '../shared/pause-conditions';
import { isAllowedExternalUrl } from './external-links';
import type { PreferencesStore } from './preferences-store';

/** The one place links leave the app: only allow-listed http(s) URLs reach the browser. */
export async function openAllowedExternal(url: string): Promise<void> {
  if (!isAllowedExternalUrl(url)) {
    throw new CoreError('link-refused', `Refused to open ${url.slice(0, 80)}: only http(s) links open in the browser`, "Check the provider's public URL: only http(s) links without a user name or password open in the browser.");
  }
  await shell.openExternal(url);
}

export function desktopPlatform(preferences: PreferencesStore, onPreferencesSaved: () => void, pauseSupport: () => Promise<PauseSupport>): DesktopPlatform {
  return {
    async pickFolder() {
      const owner = BrowserWindow.getFocusedWindow();
      const options = { title: 'Choose a watch folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    /** A native message box: the window can neither draw nor click it, so a yes here is the user's. */
    async confirm({ message, detail, confirmLabel }) {
      const owner = BrowserWindow.getFocusedWindow();
      const options = { type: 'warning' as const, message, detail, buttons: ['Cancel', confirmLabel], defaultId: 0, cancelId: 0, noLink: true };
      const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
      return response === 1;
    },
    openInBrowser: openAllowedExternal,
    async revealFile(path) {
      shell.showItemInFolder(path);
    },
    async copyText(text) {
      clipboard.writeText(text);
    },
    pauseSupport,
    preferences: {
      get: () => preferences.get(),
      save: (patch) => {
        const next = preferences.save(patch);
        onPreferencesSaved();
        return next;
      },
    },
  };
}
