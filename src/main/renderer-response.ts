/**
 * The answer to an `app://offload/…` request: the renderer file read straight from disk, with its
 * content type and our security headers. Main reads the file itself instead of net.fetch-ing a file://
 * URL, so serving the window depends on no file:// behaviour at all (the GrantFileProtocolExtraPrivileges
 * fuse is off in packaged builds). Plain Node, so it is unit-tested without Electron.
 *
 * `media/thumb/<id>` and `media/preview/<id>` are answered by the core's media facet instead (the
 * gallery's thumbnails and previews, remote ones fetched by the core with the provider's credentials):
 * the page loads them as same-origin images, so its Content-Security-Policy stays `img-src 'self' data:`
 * and no bucket host, credential or presigned URL ever reaches it.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import type { MediaFacet, MediaResponse } from '../core/media/media-facet';
import { isMediaPath, parseMediaPath } from '../core/media/media-route';
import { APP_HOST, CONTENT_SECURITY_POLICY } from './app-origin';
import { resolveInside } from './renderer-files';

/** What the media routes need of the service: `service.media`. */
export type MediaRoutes = Pick<MediaFacet, 'thumbnail' | 'preview'>;

/** What the built renderer holds; anything else is served as bytes the page will not run (nosniff). */
const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });

/**
 * Serves `requestUrl` from the renderer folder `root`; 404 for another host, an escape, a folder or a
 * missing file. Paths under `/media/` go to `media` (404 without it, or for anything but its two routes).
 */
export async function rendererResponse(root: string, requestUrl: string, media?: MediaRoutes): Promise<Response> {
  const url = new URL(requestUrl);
  if (url.host === APP_HOST && isMediaPath(url.pathname)) return mediaResponse(media, url.pathname);
  const file = url.host === APP_HOST ? resolveInside(root, url.pathname) : null;
  if (!file) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file); // the renderer's files are small: read whole, no stream to tear down
  } catch {
    return notFound(); // missing, a folder (EISDIR), or not readable: nothing to serve either way
  }
  // A copy as a plain Uint8Array: Buffer is not a BodyInit to the DOM typings the tests compile with.
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': contentTypeFor(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** A media route's answer, with the same security headers as every file of the window. */
async function mediaResponse(media: MediaRoutes | undefined, pathname: string): Promise<Response> {
  const request = parseMediaPath(pathname);
  if (!media || !request) return notFound();
  let answer: MediaResponse;
  try {
    answer = request.what === 'thumb' ? await media.thumbnail(request.id) : await media.preview(request.id);
  } catch {
    // The facet answers its own failures; a throw is a bug, and its message is not for the page.
    return new Response('Media unavailable', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
  }
  // A stream (a preview from disk or the bucket) goes out as it is read; Buffer is copied to a plain
  // Uint8Array, as above. The DOM typings the tests compile with do not know Node's web-stream type.
  const body = Buffer.isBuffer(answer.body) ? new Uint8Array(answer.body) : (Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, {
    status: answer.status,
    headers: {
      'Content-Type': answer.contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': answer.cacheControl,
    },
  });
}
