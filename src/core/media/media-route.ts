/**
 * The window's media URLs, `media/thumb/<fileId>` and `media/preview/<fileId>`, relative to its own
 * origin (`app://offload/…` in the app; the test bridge's server in Chromium tests). Parsed here once for
 * both servers, strictly: anything else under `media/` is not a media request.
 */

export interface MediaRequest {
  what: 'thumb' | 'preview';
  id: number;
}

const route = /^\/media\/(thumb|preview)\/([1-9][0-9]{0,15})$/;

/** The media request a URL path names, or null. Only `/media/…` paths are media paths at all. */
export function parseMediaPath(pathname: string): MediaRequest | null {
  const match = route.exec(pathname);
  if (!match) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { what: match[1] as MediaRequest['what'], id } : null;
}

/** True for any path under `/media/`: such a path is answered by the media routes or not at all. */
export function isMediaPath(pathname: string): boolean {
  return pathname === '/media' || pathname.startsWith('/media/');
}
