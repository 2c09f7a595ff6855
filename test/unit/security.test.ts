import { describe, expect, it, vi } from 'vitest';
import { hardenApp, type GuardedContents, type HardenedApp, type PermissionSession } from '../../src/main/security';

type Listener = (...args: never[]) => unknown;

/** An event source as far as the hardening uses one: listeners by event name, fired by the test. */
class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

class FakeContents extends Emitter implements GuardedContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** Fires a preventable event; returns whether it was prevented. */
  attempt(event: string, url?: string): boolean {
    let prevented = false;
    this.fire(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

function setup() {
  const app = new Emitter() as Emitter & HardenedApp;
  const handlers: { request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0]; check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0] } = {};
  const session: PermissionSession = {
    setPermissionRequestHandler: (h) => void (handlers.request = h),
    setPermissionCheckHandler: (h) => void (handlers.check = h),
  };
  const opened: string[] = [];
  hardenApp(app, () => session, (url) => void opened.push(url));
  const contents = new FakeContents();
  app.fire('web-contents-created', {}, contents);
  return { app, handlers, contents, opened };
}

describe('app hardening', () => {
  it('grants no permission, asked or checked, once the app is ready', () => {
    const { app, handlers } = setup();
    expect(handlers.request).toBeUndefined(); // the default session exists only once ready
    app.fire('ready');
    const callback = vi.fn();
    (handlers.request as unknown as (c: unknown, p: string, cb: (granted: boolean) => void) => void)({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect((handlers.check as unknown as () => boolean)()).toBe(false);
  });

  it.each(['will-navigate', 'will-redirect'])('%s: stays on our own origin', (event) => {
    const { contents } = setup();
    expect(contents.attempt(event, 'https://evil.example/')).toBe(true);
    expect(contents.attempt(event, 'app://offloadx.evil/')).toBe(true);
    expect(contents.attempt(event, 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt(event, 'app://offload/index.html#/log')).toBe(false);
  });

  it('refuses <webview>', () => {
    expect(setup().contents.attempt('will-attach-webview')).toBe(true);
  });

  it('opens no new window: the link goes to the browser (which checks it) instead', () => {
    const { contents, opened } = setup();
    expect(contents.openHandler?.({ url: 'https://example.com/a.png' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/a.png']);
  });
});
