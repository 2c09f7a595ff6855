/**
 * The window's media routes in main (src/main/renderer-response.ts through protocol.ts): `media/thumb/ID`
 * and `media/preview/ID` on our own origin go to the core's media facet (a recording stand-in here), with
 * the window's CSP and nosniff on every answer; nothing else under `media/` is answered, another host
 * never is, and a throwing facet gives a bare 500, not its message.
 */
import type { Protocol } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaResponse } from '../../src/core/media/media-facet';
import { CONTENT_SECURITY_POLICY } from '../../src/main/app-origin';
import { serveRenderer } from '../../src/main/protocol';
import { rendererResponse, type MediaRoutes } from '../../src/main/renderer-response';

let root: string;
const asked: string[] = [];
const answer = (body: Buffer | Readable, contentType = 'image/webp'): MediaResponse => ({ status: 200, contentType, body, cacheControl: 'private, max-age=86400' });
const media: MediaRoutes = {
  async thumbnail(id) {
    asked.push(`thumb ${id}`);
    if (id === 404) return { status: 404, contentType: 'text/plain; charset=utf-8', body: Buffer.from('no file 404'), cacheControl: 'no-store' };
    if (id === 500) throw new Error('secret detail from a bug');
    return answer(Buffer.from(`thumb-${id}`));
  },
  async preview(id) {
    asked.push(`preview ${id}`);
    return answer(Readable.from([Buffer.from('big '), Buffer.from(`preview-${id}`)]), 'image/png');
  },
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'offload-media-protocol-'));
  await writeFile(join(root, 'index.html'), '<title>Offload Companion</title>');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('app://offload/media/…', () => {
  it('answers a thumbnail and a streamed preview from the facet, with the window\'s security headers', async () => {
    const thumb = await rendererResponse(root, 'app://offload/media/thumb/12', media);
    expect(thumb.status).toBe(200);
    expect(Object.fromEntries(thumb.headers)).toMatchObject({
      'content-type': 'image/webp',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=86400',
    });
    expect(await thumb.text()).toBe('thumb-12');
    const preview = await rendererResponse(root, 'app://offload/media/preview/7?v=2', media);
    expect([preview.status, preview.headers.get('content-type'), await preview.text()]).toEqual([200, 'image/png', 'big preview-7']);
    expect(preview.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('passes the facet\'s 404 on, and hides a thrown error behind a bare 500', async () => {
    const missing = await rendererResponse(root, 'app://offload/media/thumb/404', media);
    expect([missing.status, await missing.text(), missing.headers.get('x-content-type-options')]).toEqual([404, 'no file 404', 'nosniff']);
    const broken = await rendererResponse(root, 'app://offload/media/thumb/500', media);
    expect([broken.status, await broken.text()]).toEqual([500, 'Media unavailable']);
  });

  it.each([
    ['another route under media/', 'app://offload/media/original/3'],
    ['a malformed id', 'app://offload/media/thumb/3x'],
    ['the media folder itself', 'app://offload/media'],
    ['another host', 'app://elsewhere/media/thumb/3'],
  ])('answers 404 for %s without asking the facet', async (_what, url) => {
    asked.length = 0;
    const response = await rendererResponse(root, url, media);
    expect(response.status).toBe(404);
    expect(asked).toEqual([]);
  });

  it('without a facet (no service) every media path is a 404, and the renderer files are served as before', async () => {
    expect((await rendererResponse(root, 'app://offload/media/thumb/1')).status).toBe(404);
    expect(await (await rendererResponse(root, 'app://offload/index.html', media)).text()).toContain('Offload Companion');
  });

  it('protocol.ts hands the facet to the app:// handler', async () => {
    let handler: Parameters<Protocol['handle']>[1] | null = null;
    serveRenderer({ handle: (_scheme, h) => void (handler = h) }, root, media);
    const response = await handler!(new Request('app://offload/media/thumb/5'));
    expect(await response.text()).toBe('thumb-5');
  });
});
