/**
 * Electron main process: lifecycle glue over the Node-only core (ARCHITECTURE.md). Everything with logic
 * lives in small modules that are unit-tested without an Electron binary: window.ts, ipc/guard.ts,
 * tray/tray-model.ts, notifications/notification-rules.ts, autostart.ts, external-links.ts.
 */
import { app, BrowserWindow, clipboard, dialog } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCommandHandlers } from '../core/command-handlers';
import { KeychainStore, KeychainThenEnvStore } from '../core/secrets/keychain-store';
import { EnvSecretStore } from '../core/secrets/secret-store';
import { takeSecretsFromEnv } from '../core/secrets/take-env-secrets';
import { restrictDir } from '../core/private-files';
import { OffloadService } from '../core/service';
import { APP_ORIGIN } from './app-origin';
import { setLinuxAutostart } from './autostart';
import { desktopPlatform, openAllowedExternal } from './desktop-platform';
import { forwardEvents } from './ipc/send-event';
import { registerHandlers } from './ipc/register-handlers';
import { startNotifier } from './notifications/notifier';
import { PreferencesStore } from './preferences-store';
import { registerAppScheme, serveRenderer } from './protocol';
import { hardenApp } from './security';
import { AppTray } from './tray/tray';
import type { TrayAction } from './tray/tray-model';
import { createMainWindow } from './window';

/** True only in a build made for the whole-app tests (electron.vite.config.ts); false removes the hooks. */
declare const __OFFLOAD_TEST_HOOKS__: boolean;

// First, before any window or child process exists: storage secrets leave the environment that
// Chromium's child processes inherit, and stay in memory for the secret store only.
const envSecrets = takeSecretsFromEnv(process.env);

const here = fileURLToPath(new URL('.', import.meta.url));
const resources = app.isPackaged ? process.resourcesPath : join(here, '../../resources');

// A separate profile for portable use and the whole-app tests; must be set before anything reads it.
if (process.env.OFFLOAD_USER_DATA) app.setPath('userData', process.env.OFFLOAD_USER_DATA);
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  runApp();
}

function runApp(): void {
  const preferences = new PreferencesStore();
  let window: BrowserWindow | null = null;
  let service: OffloadService | null = null;
  let tray: AppTray | null = null;
  let quitting = false;
  let closed = false;

  const openLink = (url: string): void => void openAllowedExternal(url).catch(() => undefined);
  hardenApp(openLink);

  const showWindow = (route = ''): void => {
    const url = `${APP_ORIGIN}/index.html${route}`;
    if (window) {
      if (route) void window.loadURL(url);
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    window = createMainWindow(BrowserWindow, join(here, '../preload/index.cjs'), join(resources, 'icon.png'));
    window.once('ready-to-show', () => window?.show());
    window.on('close', (event) => {
      // Close to tray: the app keeps offloading until the user quits.
      if (!quitting && preferences.get().closeToTray) {
        event.preventDefault();
        window?.hide();
      }
    });
    window.on('closed', () => (window = null));
    void window.loadURL(url);
  };

  const applyAutostart = (): void => {
    const enabled = preferences.get().startAtLogin;
    if (process.platform === 'linux') void setLinuxAutostart(enabled, process.env.APPIMAGE ?? process.execPath).catch(() => undefined);
    else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
  };

  const copyLink = async (fileId: number): Promise<void> => {
    if (!service) return;
    const link = await service.linkForId(fileId).catch(() => null);
    if (link) clipboard.writeText(link.url);
  };

  const runTrayAction = (action: TrayAction): void => {
    if (!service) return;
    switch (action.type) {
      case 'set-active-storage':
        void service.setActiveStorage(action.id).catch((error: Error) => dialog.showErrorBox('Offload Companion', error.message));
        break;
      case 'pause':
        service.pause();
        break;
      case 'resume':
        service.resume();
        break;
      case 'open-window':
        showWindow();
        break;
      case 'open-log':
        showWindow('#/log');
        break;
      case 'copy-link':
        void copyLink(action.fileId);
        break;
      case 'quit':
        app.quit();
        break;
    }
    tray?.schedule();
  };

  app.on('second-instance', () => showWindow());
  app.on('window-all-closed', () => {
    // Stay in the tray; quitting is explicit (tray menu) or the OS session ending.
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed || !service) return;
    // Let in-flight uploads stop at a safe point (the ledger resumes them next start), then quit.
    event.preventDefault();
    const closing = service;
    service = null;
    tray?.destroy();
    void closing.close().finally(() => {
      closed = true;
      app.quit();
    });
  });

  void app.whenReady().then(async () => {
    const settingsFile = join(app.getPath('userData'), 'settings.json');
    try {
      // The profile folder is the app's own: private to the user on every start (the ledger lives here).
      restrictDir(app.getPath('userData'));
      service = await OffloadService.open({
        settingsFile,
        createIfMissing: true,
        secrets: new KeychainThenEnvStore(KeychainStore.tryLoad(), new EnvSecretStore(envSecrets)),
      });
    } catch (error) {
      // Never reset a settings file or ledger we cannot read: say which file and why, and stop.
      dialog.showErrorBox('Offload Companion cannot start', (error as Error).message);
      closed = true;
      app.quit();
      return;
    }
    serveRenderer(join(here, '../renderer'));
    registerHandlers(createCommandHandlers(service, desktopPlatform(preferences, applyAutostart)));
    forwardEvents(service.events, () => window?.webContents ?? null);
    tray = new AppTray(service, resources, runTrayAction);
    startNotifier(service, () => preferences.get(), (spec) => (spec.fileId ? void copyLink(spec.fileId) : showWindow('#/log')));
    applyAutostart();
    // A constant false outside test builds, so the bundler drops this block and a packaged app has no hooks.
    if (__OFFLOAD_TEST_HOOKS__ && process.env.OFFLOAD_TEST_HOOKS === '1') {
      // For the whole-app tests: the tray cannot be clicked through Playwright, so its menu is reachable here.
      Object.assign(globalThis, { __offloadTest: { trayMenu: () => tray?.lastMenu ?? [], runTrayAction, settingsFile } });
    }
    await service.start();
    if (!process.argv.includes('--hidden')) showWindow();
  });
}
