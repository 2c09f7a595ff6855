/**
 * Electron main process: lifecycle glue over the Node-only core. Logic lives in small pure modules
 * (window-options, protocol, ipc/*) that are unit-tested without an Electron binary.
 */
import { app, BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OffloadService } from '../core/service';
import { createCommandHandlers } from '../core/command-handlers';
import { registerHandlers } from './ipc/register-handlers';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';
import { secureWindowOptions } from './window-options';

const here = fileURLToPath(new URL('.', import.meta.url));
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;

  const showWindow = (): void => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    window = new BrowserWindow(secureWindowOptions(join(here, '../preload/index.cjs')));
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    window.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => (window = null));
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  };

  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(async () => {
    const settingsFile = join(app.getPath('userData'), 'settings.json');
    const service = await OffloadService.open({ settingsFile, createIfMissing: true });
    serveRenderer(join(here, '../renderer'));
    registerHandlers(createCommandHandlers(service));
    app.on('before-quit', () => void service.close());
    await service.start();
    showWindow();
  });
}
