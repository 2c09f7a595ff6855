/**
 * App-wide hardening that applies to every web contents (PRODUCT.md §7): no permission is ever granted,
 * navigation away from our own origin is blocked, new windows are refused (http(s) links open in the
 * browser instead), and <webview> cannot be attached.
 */
import { app, session } from 'electron';
import { APP_ORIGIN } from './app-origin';

export function hardenApp(openExternal: (url: string) => void): void {
  app.on('ready', () => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      openExternal(url);
      return { action: 'deny' };
    });
  });
}
