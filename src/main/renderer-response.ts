/**
 * The answer to an `app://offload/…` request: the renderer file read straight from disk, with its
 * content type and our security headers. Main reads the file itself instead of net.fetch-ing a file://
 * URL, so serving the window depends on no file:// behaviour at all (the GrantFileProtocolExtraPrivileges
 * fuse is off in packaged builds). Plain Node, so it is unit-tested without Electron.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { APP_HOST, CONTENT_SECURITY_POLICY } from './app-origin';
import { resolveInside } from './renderer-files';

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

/** Serves `requestUrl` from the renderer folder `root`; 404 for another host, an escape, a folder or a missing file. */
export async function rendererResponse(root: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
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
