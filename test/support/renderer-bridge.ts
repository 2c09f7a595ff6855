/**
 * Serves the built renderer to Chromium and supplies `window.offload` from the shared contract, backed
 * by a real OffloadService in the test process (ARCHITECTURE.md "Testing the renderer"). Only the
 * transport differs from Electron's IPC: the same channel list, the same schema parsing, the same
 * command table (createCommandHandlers).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { createCommandHandlers, type DesktopPlatform } from '../../src/core/command-handlers';
import type { OffloadService } from '../../src/core/service';
import { isMediaPath, parseMediaPath } from '../../src/core/media/media-route';
import { CONTENT_SECURITY_POLICY } from '../../src/main/app-origin';
import { eventNames, listChannels } from '../../src/shared/ipc/channels';
import { TestPlatform } from './test-platform';
import { parseCommandInput } from '../../src/shared/ipc/contract';

export const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * A static server for out/renderer on 127.0.0.1; close() when done. Given the service, it answers the
 * window's `media/thumb/<id>` and `media/preview/<id>` from `service.media`, as main's app:// handler
 * does (src/main/renderer-response.ts), with the same CSP header.
 */
export async function serveRenderer(service?: Pick<OffloadService, 'media'>): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build`.');
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (isMediaPath(path)) {
      void serveMedia(service?.media, path, res);
      return;
    }
    const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(RENDERER_DIR + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One media request, answered by the same core functions as in the app (404 without a service). */
async function serveMedia(media: OffloadService['media'] | undefined, path: string, res: ServerResponse): Promise<void> {
  const request = parseMediaPath(path);
  if (!media || !request) {
    res.writeHead(404).end();
    return;
  }
  try {
    const answer = request.what === 'thumb' ? await media.thumbnail(request.id) : await media.preview(request.id);
    res.writeHead(answer.status, {
      'content-type': answer.contentType,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'cache-control': answer.cacheControl,
    });
    if (Buffer.isBuffer(answer.body)) res.end(answer.body);
    else answer.body.pipe(res);
  } catch {
    res.writeHead(500).end();
  }
}

/**
 * Installs `window.offload` in the page before any of its scripts run: the commands through the same
 * schema parse and command table as main's IPC wrapper, and the service's events pushed into the page.
 * Returns the unsubscribe for the events.
 */
export async function bridgeApi(page: Page, service: OffloadService, platform: DesktopPlatform = new TestPlatform()): Promise<() => void> {
  const handlers = createCommandHandlers(service, platform);
  await page.exposeBinding('__offloadInvoke', async (_source, group: string, name: string, payload: unknown) => {
    const parsed = parseCommandInput(group, name, payload);
    const handler = handlers[`${group}.${name}`];
    if (!parsed.ok || !handler) return parsed;
    return handler(parsed.value);
  });
  await page.addInitScript(
    ({ commands, events }: { commands: { group: string; name: string }[]; events: readonly string[] }) => {
      type Invoke = (group: string, name: string, payload: unknown) => Promise<unknown>;
      const invoke = (window as unknown as { __offloadInvoke: Invoke }).__offloadInvoke;
      const api: Record<string, Record<string, unknown>> = {};
      for (const { group, name } of commands) {
        api[group] ??= {};
        api[group][name] = (input?: unknown) => invoke(group, name, input ?? {});
      }
      const listeners = new Map<string, Set<(p: unknown) => void>>(events.map((e) => [e, new Set()]));
      api.events = {
        on(name: string, listener: (p: unknown) => void) {
          const set = listeners.get(name);
          if (!set) throw new Error(`Unknown event ${name}`);
          set.add(listener);
          return () => set.delete(listener);
        },
      };
      Object.defineProperty(window, '__offloadEmit', { value: (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload)) });
      Object.defineProperty(window, 'offload', { value: Object.freeze(api) });
    },
    { commands: listChannels(), events: eventNames },
  );
  const offs = eventNames.map((name) =>
    service.events.on(name, (payload) => {
      if (page.isClosed()) return;
      page.evaluate(([n, p]) => (window as unknown as { __offloadEmit?: (n: string, p: unknown) => void }).__offloadEmit?.(n, p), [name, payload] as const).catch(() => undefined);
    }),
  );
  return () => offs.forEach((off) => off());
}
