/**
 * App-wide hardening that applies to every web contents (PRODUCT.md §7): no permission is ever granted,
 * navigation away from our own origin is blocked, new windows are refused (http(s) links open in the
 * browser instead), and <webview> cannot be attached. Electron's `app` and session come in as
 * parameters, so every rule is unit-tested with fakes.
 */
import type { Session } from 'electron';
import { APP_ORIGIN } from './app-origin';

interface Preventable {
  preventDefault(): void;
}

/** What the hardening uses of a WebContents. */
export interface GuardedContents {
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Preventable, url: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** What the hardening uses of Electron's `app`. */
export interface HardenedApp {
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

export type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

const isOwnPage = (url: string): boolean => url.startsWith(`${APP_ORIGIN}/`);

/** `defaultSession` is a getter because Electron's default session exists only once the app is ready. */
export function hardenApp(app: HardenedApp, defaultSession: () => PermissionSession, openExternal: (url: string) => void): void {
  app.on('ready', () => {
    const session = defaultSession();
    session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.setPermissionCheckHandler(() => false);
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      openExternal(url);
      return { action: 'deny' };
    });
  });
}
