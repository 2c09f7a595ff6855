import type { Menu, MenuItemConstructorOptions, NativeImage } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from '../../src/core/events';
import type { EngineEvents, EngineStatus, SettingsView } from '../../src/shared/events';
import type { ProviderView, StatusView } from '../../src/shared/ipc/contract';
import type { FileRecord } from '../../src/shared/ledger';
import { AppTray, type TrayElectron, type TrayHandle, type TrayService } from '../../src/main/tray/tray';
import type { TrayDesktop } from '../../src/main/tray/tray-actions';

/** Electron's Tray as far as AppTray uses it; the icon and menu are the path and template themselves. */
class FakeTray implements TrayHandle {
  image: NativeImage;
  tooltip = '';
  menu: MenuItemConstructorOptions[] | null = null;
  destroyed = false;
  destroys = 0;
  readonly clickListeners: (() => void)[] = [];
  constructor(icon: NativeImage) {
    this.image = icon;
  }
  on(_event: 'click', listener: () => void): void {
    this.clickListeners.push(listener);
  }
  setImage(image: NativeImage): void {
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.tooltip = toolTip;
  }
  setContextMenu(menu: Menu | null): void {
    this.menu = menu as unknown as MenuItemConstructorOptions[];
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroys += 1;
    this.destroyed = true;
  }
}

const engine = (over: Partial<EngineStatus> = {}): EngineStatus => ({ paused: false, pauseReasons: [], offline: false, queued: 0, active: 0, activeStorage: 'studio', ...over });
const studio = { id: 'studio', type: 'minio', label: 'Studio R2', enabled: true, bucket: 'b', keyPrefix: '', hasSecret: true, status: 'ready', issues: [] } as unknown as ProviderView;
const row = (id: number, path: string): FileRecord => ({ id, path, watchRoot: '/w', relPath: path, size: 1, mtimeMs: 1, sha256: null, state: 'offloaded', providerId: 'studio', bucket: 'b', key: path, url: null, attempts: 1, lastError: null, errorCode: null, timestamps: {}, updatedAt: 1 });
const view: SettingsView = { activeStorage: 'studio', watchFolders: [], upload: {} as SettingsView['upload'], retention: { rightAway: false, afterDays: null, lowSpace: null, moveToTrash: false } };

function setup() {
  let status: Omit<StatusView, 'retention'> = { engine: engine(), counts: { total: 1, byState: { offloaded: 1 } }, activeStorage: 'studio', pauseReasons: [], problems: [], space: { storages: [], keptLocal: { files: 0, bytes: 0 } } };
  const service = {
    events: new TypedEmitter<EngineEvents>(),
    status: () => status,
    providers: { list: vi.fn(async () => [studio]) },
    log: { list: vi.fn(() => [row(3, '/w/render/final.exr')]) },
    storage: { setActive: vi.fn(async () => view) },
    queue: { pause: vi.fn(async () => void (status = { ...status, engine: engine({ paused: true, pauseReasons: ['user'] }) })), resume: vi.fn(async () => undefined) },
  } satisfies TrayService;
  let fake: FakeTray | null = null;
  const electron: TrayElectron = {
    createTray: (icon) => (fake = new FakeTray(icon)),
    buildMenu: (template) => template as unknown as Menu,
    iconFromPath: (path) => path as unknown as NativeImage,
  };
  const desktop = { showWindow: vi.fn(), copyLink: vi.fn(), quit: vi.fn(), showError: vi.fn() } satisfies TrayDesktop;
  const tray = new AppTray(service, electron, '/icons', desktop);
  if (!fake) throw new Error('AppTray made no tray');
  const handle: FakeTray = fake;
  return { service, desktop, tray, handle, setStatus: (next: Omit<StatusView, 'retention'>) => (status = next) };
}

const item = (menu: MenuItemConstructorOptions[] | null, id: string): MenuItemConstructorOptions | undefined => {
  for (const entry of menu ?? []) {
    if (entry.id === id) return entry;
    const inner = item(entry.submenu as MenuItemConstructorOptions[] | undefined ?? null, id);
    if (inner) return inner;
  }
  return undefined;
};
const click = (entry: MenuItemConstructorOptions | undefined): void => (entry?.click as (() => void) | undefined)?.();

let open: AppTray[] = [];
afterEach(() => {
  open.forEach((t) => t.destroy());
  open = [];
});

describe('app tray', () => {
  it('shows the icon, tooltip and menu for the service state at start', async () => {
    const { tray, handle, service } = setup();
    open.push(tray);
    await vi.waitFor(() => expect(handle.menu).not.toBeNull());
    expect(handle.image).toBe('/icons/tray-idle.png');
    expect(handle.tooltip).toBe('Offload Companion: idle, offloading to Studio R2');
    expect(item(handle.menu, 'storage:studio')).toMatchObject({ type: 'radio', checked: true, label: 'Studio R2' });
    expect(item(handle.menu, 'recent:3')).toMatchObject({ label: 'Copy link: final.exr' });
    expect(service.log.list).toHaveBeenCalledWith({ states: ['offloaded', 'local-removed'], limit: 5 });
    expect(tray.lastMenu.map((e) => (e.kind === 'separator' ? '-' : e.id))).toEqual(['storage', '-', 'pause', 'open-window', 'open-log', 'recent', '-', 'quit']);
  });

  it('opens the window when the icon is clicked', () => {
    const { tray, handle, desktop } = setup();
    open.push(tray);
    handle.clickListeners.forEach((l) => l());
    expect(desktop.showWindow).toHaveBeenCalledWith();
  });

  it('runs a clicked item through the service facet and shows the new state', async () => {
    const { tray, handle, service, desktop } = setup();
    open.push(tray);
    await vi.waitFor(() => expect(item(handle.menu, 'pause')).toBeDefined());
    click(item(handle.menu, 'pause'));
    expect(service.queue.pause).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(item(handle.menu, 'resume')).toBeDefined());
    expect(handle.image).toBe('/icons/tray-paused.png');
    click(item(handle.menu, 'recent:3'));
    expect(desktop.copyLink).toHaveBeenCalledWith(3);
  });

  it('shows upload progress, and reads the providers again only when the settings change', async () => {
    const { tray, handle, service, setStatus } = setup();
    open.push(tray);
    await vi.waitFor(() => expect(handle.menu).not.toBeNull());
    setStatus({ engine: engine({ active: 1 }), counts: { total: 2, byState: { uploading: 1, offloaded: 1 } }, activeStorage: 'studio', pauseReasons: [], problems: [], space: { storages: [], keptLocal: { files: 0, bytes: 0 } } });
    service.events.emit('uploadProgress', { id: 9, path: '/w/a.mov', sentBytes: 25, totalBytes: 100 });
    await vi.waitFor(() => expect(handle.tooltip).toMatch(/uploading 1 file — 25%/));
    expect(handle.image).toBe('/icons/tray-busy.png');
    expect(service.providers.list).toHaveBeenCalledOnce();
    service.events.emit('settingsChanged', view);
    expect(service.providers.list).toHaveBeenCalledTimes(2);
  });

  it('stops listening and removes the icon when destroyed, twice without harm', async () => {
    const { tray, handle, service } = setup();
    await vi.waitFor(() => expect(handle.menu).not.toBeNull());
    tray.destroy();
    tray.destroy();
    expect(handle.destroys).toBe(1);
    service.events.emit('settingsChanged', view);
    expect(service.providers.list).toHaveBeenCalledOnce();
    await tray.refresh(); // nothing to draw on: no throw, no Electron call
  });
});
