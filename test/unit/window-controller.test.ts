import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { LOG_ROUTE, MainWindow, type ManagedWindow } from '../../src/main/window-controller';

/** A BrowserWindow stand-in that records what was done to it and lets the test fire its events. */
class FakeWindow implements ManagedWindow {
  readonly webContents = { id: 7 } as unknown as WebContents;
  readonly loaded: string[] = [];
  readonly calls: string[] = [];
  minimized = false;
  private readonly listeners = new Map<string, ((event: { preventDefault(): void }) => void)[]>();

  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.calls.push('restore');
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
  hide(): void {
    this.calls.push('hide');
  }
  once(event: string, listener: () => void): void {
    this.add(event, listener);
  }
  on(event: string, listener: (event: { preventDefault(): void }) => void): void {
    this.add(event, listener);
  }
  private add(event: string, listener: (event: { preventDefault(): void }) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  /** Fires an event; returns whether a listener prevented its default. */
  fire(event: string): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) listener({ preventDefault: () => (prevented = true) });
    return prevented;
  }
}

function setup(keepInTray = true) {
  const made: FakeWindow[] = [];
  const tray = { keep: keepInTray };
  const controller = new MainWindow(
    () => {
      const w = new FakeWindow();
      made.push(w);
      return w;
    },
    () => tray.keep,
  );
  return { controller, made, tray };
}

describe('main window controller', () => {
  it('makes the window on the first show, loads the app page, and shows it only when ready', () => {
    const { controller, made } = setup();
    expect(controller.contents()).toBeNull();
    controller.show();
    expect(made).toHaveLength(1);
    const [w] = made;
    expect(w!.loaded).toEqual(['app://offload/index.html']);
    expect(w!.calls).toEqual([]);
    w!.fire('ready-to-show');
    expect(w!.calls).toEqual(['show']);
    expect(controller.contents()).toBe(w!.webContents);
  });

  it('brings the same window back on later shows, restoring it when minimized, and loads a route only when given', () => {
    const { controller, made } = setup();
    controller.show();
    const w = made[0]!;
    w.minimized = true;
    controller.show();
    expect(w.calls).toEqual(['restore', 'show', 'focus']);
    expect(w.loaded).toHaveLength(1);
    controller.show(LOG_ROUTE);
    expect(w.loaded).toEqual(['app://offload/index.html', 'app://offload/index.html#/log']);
    expect(made).toHaveLength(1);
  });

  it('hides instead of closing while the app lives in the tray', () => {
    const { controller, made } = setup(true);
    controller.show();
    expect(made[0]!.fire('close')).toBe(true);
    expect(made[0]!.calls).toEqual(['hide']);
  });

  it('closes for real when the user quits or does not keep it in the tray, and makes a new one next time', () => {
    const { controller, made, tray } = setup(true);
    controller.show();
    tray.keep = false;
    expect(made[0]!.fire('close')).toBe(false);
    made[0]!.fire('closed');
    expect(controller.contents()).toBeNull();
    controller.show('#/providers');
    expect(made).toHaveLength(2);
    expect(made[1]!.loaded).toEqual(['app://offload/index.html#/providers']);
  });
});
