import { describe, expect, it } from 'vitest';
import { bindLifecycle, type LifecycleApp } from '../../src/main/lifecycle';

/** Electron's `app` as far as the lifecycle uses it: events the test fires, and quit() recorded. */
class FakeApp implements LifecycleApp {
  quits = 0;
  private readonly listeners = new Map<string, ((event: { preventDefault(): void }) => void)[]>();
  on(event: string, listener: (event: { preventDefault(): void }) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  quit(): void {
    this.quits += 1;
  }
  has(event: string): boolean {
    return (this.listeners.get(event)?.length ?? 0) > 0;
  }
  /** Fires an event; returns whether a listener prevented its default. */
  fire(event: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) listener({ preventDefault: () => (prevented = true) });
    return prevented;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('app lifecycle', () => {
  it('shows the window when the app is launched a second time', () => {
    const app = new FakeApp();
    let shown = 0;
    bindLifecycle(app, () => (shown += 1));
    app.fire('second-instance');
    expect(shown).toBe(1);
  });

  it('keeps running in the tray when the last window closes (a listener is what stops Electron quitting)', () => {
    const app = new FakeApp();
    bindLifecycle(app, () => undefined);
    expect(app.has('window-all-closed')).toBe(true);
    app.fire('window-all-closed');
    expect(app.quits).toBe(0);
  });

  it('quits at once when nothing runs yet, and says it is quitting', () => {
    const app = new FakeApp();
    const lifecycle = bindLifecycle(app, () => undefined);
    expect(lifecycle.isQuitting()).toBe(false);
    expect(app.fire('before-quit')).toBe(false);
    expect(lifecycle.isQuitting()).toBe(true);
  });

  it('holds the quit until the shutdown finished, runs it once, then quits', async () => {
    const app = new FakeApp();
    const lifecycle = bindLifecycle(app, () => undefined);
    let shutdowns = 0;
    let finish = (): void => undefined;
    lifecycle.closeBeforeQuit(() => {
      shutdowns += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    expect(app.fire('before-quit')).toBe(true);
    expect(app.quits).toBe(0);
    finish();
    await tick();
    expect(shutdowns).toBe(1);
    expect(app.quits).toBe(1);
    expect(app.fire('before-quit')).toBe(false); // the quit it asked for goes through
    expect(shutdowns).toBe(1);
  });

  it('still quits when the shutdown fails', async () => {
    const app = new FakeApp();
    const lifecycle = bindLifecycle(app, () => undefined);
    lifecycle.closeBeforeQuit(async () => {
      throw new Error('ledger gone');
    });
    expect(app.fire('before-quit')).toBe(true);
    await tick();
    expect(app.quits).toBe(1);
  });
});
