/**
 * The window's content is served over our own `app://` scheme, never `file://` (PRODUCT.md §7): only
 * files inside the built renderer folder are answered (renderer-response.ts).
 */
import { protocol } from 'electron';
import { APP_SCHEME } from './app-origin';
import { rendererResponse } from './renderer-response';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(root, request.url));
}
