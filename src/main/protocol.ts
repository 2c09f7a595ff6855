/**
 * The window's content is served over our own `app://` scheme, never `file://` (PRODUCT.md §7): only
 * files inside the built renderer folder are answered (renderer-response.ts), plus the gallery's
 * `media/thumb/<id>` and `media/preview/<id>`, which the core's media facet answers. Electron's
 * `protocol` is passed in, so the registration is unit-tested with a fake.
 */
import type { Protocol } from 'electron';
import { APP_SCHEME } from './app-origin';
import { rendererResponse, type MediaRoutes } from './renderer-response';

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Answers app:// from `root`, and its media routes from `media` (`service.media`) when given. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, root: string, media?: MediaRoutes): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(root, request.url, media));
}
