/**
 * Electron main process: lifecycle glue over the Node-only core (ARCHITECTURE.md). This file only takes
 * Electron's objects and hands them to named steps, each a small module unit-tested under Node with fakes:
 * security.ts, protocol.ts, lifecycle.ts, window-controller.ts (over window.ts), open-service.ts,
 * ipc/connect-ipc.ts, tray/tray.ts (over tray-model.ts and tray-actions.ts), notifications/notifier.ts,
 * copy-link.ts, autostart.ts.
 */
import { app, BrowserWindow, clipboard, dialog, Menu, nativeImage, Notification, protocol, session, Tray } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeychainStore, KeychainThenEnvStore } from '../core/secrets/keychain-store';
import { EnvSecretStore } from '../core/secrets/secret-store';
import { takeSecretsFromEnv } from '../core/secrets/take-env-secrets';
import { applyStartAtLogin } from './autostart';
import { copyFileLink } from './copy-link';
import { desktopPlatform, openAllowedExternal } from './desktop-platform';
import { errorDialogText } from './error-text';
import { connectIpc } from './ipc/connect-ipc';
import { registerHandlers } from './ipc/register-handlers';
import { bindLifecycle } from './lifecycle';
import { startNotifier, type NotificationShell } from './notifications/notifier';
import { appSettingsFile, openServiceOrExplain } from './open-service';
import { PreferencesStore } from './preferences-store';
import { registerAppScheme, serveRenderer } from './protocol';
import { hardenApp } from './security';
import { AppTray, type TrayElectron } from './tray/tray';
import { createMainWindow } from './window';
import { LOG_ROUTE, MainWindow } from './window-controller';

/** True only in a build made for the whole-app tests (electron.vite.config.ts); false removes the hooks. */
declare const __OFFLOAD_TEST_HOOKS__: boolean;

const trayElectron: TrayElectron = {
  createTray: (icon) => new Tray(icon),
  buildMenu: (template) => Menu.buildFromTemplate(template),
  iconFromPath: (path) => nativeImage.createFromPath(path),
};

const notificationShell: NotificationShell = {
  isSupported: () => Notification.isSupported(),
  create: (options) => new Notification(options),
};

// First, before any window or child process exists: storage secrets leave the environment that
// Chromium's child processes inherit, and stay in memory for the secret store only.
const envSecrets = takeSecretsFromEnv(process.env);

const here = fileURLToPath(new URL('.', import.meta.url));
const resources = app.isPackaged ? process.resourcesPath : join(here, '../../resources');

// A separate profile for portable use and the whole-app tests; must be set before anything reads it.
if (process.env.OFFLOAD_USER_DATA) app.setPath('userData', process.env.OFFLOAD_USER_DATA);
registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  runApp();
}

function runApp(): void {
  const preferences = new PreferencesStore();
  hardenApp(app, () => session.defaultSession, (url) => void openAllowedExternal(url).catch(() => undefined));
  const window = new MainWindow(
    () => createMainWindow(BrowserWindow, join(here, '../preload/index.cjs'), join(resources, 'icon.png')),
    // Asked only when the user closes the window, by which time `lifecycle` below exists.
    () => !lifecycle.isQuitting() && preferences.get().closeToTray,
  );
  const lifecycle = bindLifecycle(app, () => window.show());
  const applyAutostart = (): void => {
    const target = { platform: process.platform, executable: process.env.APPIMAGE ?? process.execPath, app };
    void applyStartAtLogin(preferences.get().startAtLogin, target);
  };

  void app.whenReady().then(async () => {
    const userData = app.getPath('userData');
    const secrets = new KeychainThenEnvStore(KeychainStore.tryLoad(), new EnvSecretStore(envSecrets));
    const service = await openServiceOrExplain({ userData, secrets, showError: (title, text) => dialog.showErrorBox(title, text) });
    if (!service) return app.quit();

    serveRenderer(protocol, join(here, '../renderer'));
    connectIpc(service, desktopPlatform(preferences, applyAutostart), registerHandlers, () => window.contents());
    const copyLink = (fileId: number): void => void copyFileLink(service.log, clipboard, fileId);
    const tray = new AppTray(service, trayElectron, resources, {
      showWindow: (route) => window.show(route),
      copyLink,
      quit: () => app.quit(),
      showError: (error) => dialog.showErrorBox('Offload Companion', errorDialogText(error)),
    });
    const stopNotifier = startNotifier(service, notificationShell, () => preferences.get(), { copyLink, openLog: () => window.show(LOG_ROUTE) });
    lifecycle.closeBeforeQuit(async () => {
      tray.destroy();
      stopNotifier();
      await service.close();
    });
    applyAutostart();
    // A constant false outside test builds, so the bundler drops this block and a packaged app has no hooks.
    if (__OFFLOAD_TEST_HOOKS__ && process.env.OFFLOAD_TEST_HOOKS === '1') {
      // For the whole-app tests: the tray cannot be clicked through Playwright, so its menu is reachable here.
      Object.assign(globalThis, { __offloadTest: { trayMenu: () => tray.lastMenu, runTrayAction: tray.run.bind(tray), settingsFile: appSettingsFile(userData) } });
    }
    await service.start();
    if (!process.argv.includes('--hidden')) window.show();
  });
}
