/**
 * Electron main process: lifecycle glue over the Node-only core (ARCHITECTURE.md). This file only takes
 * Electron's objects and hands them to named steps, each a small module unit-tested under Node with fakes:
 * security.ts, protocol.ts, lifecycle.ts, window-controller.ts (over window.ts), open-service.ts,
 * ipc/connect-ipc.ts, tray/tray.ts (over tray-model.ts and tray-actions.ts), notifications/notifier.ts,
 * copy-link.ts, after-upload-desktop.ts, autostart.ts, trash-item.ts, resource-files.ts, pause-conditions.ts. Started as `offload` (cli-mode.ts), it runs
 * the command instead and nothing else.
 */
import { app, BrowserWindow, clipboard, dialog, Menu, nativeImage, Notification, powerMonitor, protocol, session, shell, Tray } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeychainStore, KeychainThenEnvStore } from '../core/secrets/keychain-store';
import { EnvSecretStore } from '../core/secrets/secret-store';
import { takeSecretsFromEnv } from '../core/secrets/take-env-secrets';
// The one import of the command in main (eslint.config.js allows it here only): the binary doubles as `offload`.
import { runCommandLine } from '../cli/command-line';
import { afterUploadDesktop } from './after-upload-desktop';
import { applyStartAtLogin } from './autostart';
import { runAsCommandIfAsked } from './cli-mode';
import { copyFileLink } from './copy-link';
import { desktopPlatform, openAllowedExternal } from './desktop-platform';
import { errorDialogText } from './error-text';
import { connectIpc } from './ipc/connect-ipc';
import { registerHandlers } from './ipc/register-handlers';
import { bindLifecycle } from './lifecycle';
import { startNotifier, type NotificationShell } from './notifications/notifier';
import { CoreError } from '../core/errors';
import { appSettingsFile, openServiceOrExplain } from './open-service';
import { pauseSources, pauseSupport, startPauseConditions } from './pause-conditions';
import { PreferencesStore } from './preferences-store';
import { registerAppScheme, serveRenderer } from './protocol';
import { APP_ICON, resourcesDir } from './resource-files';
import { hardenApp } from './security';
import { trashWithShell } from './trash-item';
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

const here = fileURLToPath(new URL('.', import.meta.url));
const resources = resourcesDir(app.isPackaged, process.resourcesPath, here);

// First of all: started as `offload` (the Linux packages' launcher), the binary is the command only.
if (!runAsCommandIfAsked(process.argv, process.defaultApp === true, { run: runCommandLine, exit: (code) => app.exit(code) })) startDesktop();

function startDesktop(): void {
  // First, before any window or child process exists: storage secrets leave the environment that
  // Chromium's child processes inherit, and stay in memory for the secret store only.
  const envSecrets = takeSecretsFromEnv(process.env);

  // A separate profile for portable use and the whole-app tests; must be set before anything reads it.
  if (process.env.OFFLOAD_USER_DATA) app.setPath('userData', process.env.OFFLOAD_USER_DATA);
  registerAppScheme(protocol);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    runApp(envSecrets);
  }
}

function runApp(envSecrets: NodeJS.ProcessEnv): void {
  const preferences = new PreferencesStore();
  hardenApp(app, () => session.defaultSession, (url) => void openAllowedExternal(url).catch(() => undefined));
  const window = new MainWindow(
    () => createMainWindow(BrowserWindow, join(here, '../preload/index.cjs'), join(resources, APP_ICON)),
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
    const service = await openServiceOrExplain({ userData, secrets, trash: trashWithShell(shell), showError: (title, text) => dialog.showErrorBox(title, text) });
    if (!service) return app.quit();

    serveRenderer(protocol, join(here, '../renderer'), service.media);
    // Pause on battery / on a metered connection: each watched while its setting is on.
    const pauses = pauseSources(process.platform, powerMonitor);
    connectIpc(service, desktopPlatform(preferences, applyAutostart, () => pauseSupport(pauses)), registerHandlers, () => window.contents());
    const copyLink = (fileId: number): void => void copyFileLink(service.log, clipboard, fileId);
    const tray = new AppTray(service, trayElectron, resources, {
      showWindow: (route) => window.show(route),
      copyLink,
      quit: () => app.quit(),
      showError: (error) => dialog.showErrorBox('Offload Companion', errorDialogText(error)),
    });
    const stopNotifier = startNotifier(service, notificationShell, () => preferences.get(), { copyLink, openLog: () => window.show(LOG_ROUTE) });
    const stopAfterUpload = service.afterUpload.useDesktop(afterUploadDesktop({ clipboard, notifications: notificationShell, openExternal: openAllowedExternal, showLog: () => window.show(LOG_ROUTE) }));
    const stopPauses = startPauseConditions(service, pauses);
    lifecycle.closeBeforeQuit(async () => {
      stopPauses();
      tray.destroy();
      stopNotifier();
      stopAfterUpload();
      await service.close();
    });
    applyAutostart();
    // A constant false outside test builds, so the bundler drops this block and a packaged app has no hooks.
    if (__OFFLOAD_TEST_HOOKS__ && process.env.OFFLOAD_TEST_HOOKS === '1') {
      // For the whole-app tests: the tray cannot be clicked through Playwright, so its menu is reachable here.
      Object.assign(globalThis, { __offloadTest: { trayMenu: () => tray.lastMenu, runTrayAction: tray.run.bind(tray), settingsFile: appSettingsFile(userData) } });
    }
    await service.start().catch((error: unknown) => {
      // Another offloader on this log (an `offload watch`): the window's banner says who, from the status.
      if (!(error instanceof CoreError && error.code === 'offloader-running')) dialog.showErrorBox('Offload Companion', errorDialogText(error));
    });
    if (!process.argv.includes('--hidden')) window.show();
  });
}
