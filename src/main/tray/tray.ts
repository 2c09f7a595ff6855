/**
 * The tray icon and menu: glue that gathers the state from the service, asks tray-model.ts what to show,
 * turns its entries into Electron menu items, and runs what is clicked through tray-actions.ts. Rebuilt
 * (at most every 250 ms) when the service reports a change. Electron's Tray, Menu and nativeImage come in
 * as `TrayElectron`, so this is unit-tested with fakes.
 */
import type { Menu, MenuItemConstructorOptions, NativeImage } from 'electron';
import { basename, join } from 'node:path';
import type { OffloadService } from '../../core/service';
import type { ProviderView } from '../../shared/ipc/contract';
import { trayIconFile } from '../resource-files';
import { runTrayAction, type TrayActionService, type TrayDesktop } from './tray-actions';
import { trayIconState, trayMenu, trayTooltip, type TrayAction, type TrayIconState, type TrayInput, type TrayMenuEntry } from './tray-model';

const REFRESH_MS = 250;
const RECENT_UPLOADS = 5;

/** What the tray uses of Electron's Tray. */
export interface TrayHandle {
  on(event: 'click', listener: () => void): unknown;
  setImage(image: NativeImage): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  isDestroyed(): boolean;
  destroy(): void;
}

/** The Electron pieces the tray is made of. */
export interface TrayElectron {
  createTray(icon: NativeImage): TrayHandle;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  iconFromPath(path: string): NativeImage;
}

/** The service facets the tray reads and acts on. */
export type TrayService = Pick<OffloadService, 'events' | 'status'> &
  TrayActionService & {
    providers: Pick<OffloadService['providers'], 'list'>;
    log: Pick<OffloadService['log'], 'list'>;
  };

export class AppTray {
  private readonly tray: TrayHandle;
  private readonly progress = new Map<number, { sentBytes: number; totalBytes: number }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly offs: (() => void)[] = [];
  /**
   * Provider readiness asks the keychain for each provider's secret: read at start and when settings
   * change, not on every progress-driven refresh (every 250 ms while uploading).
   */
  private providers: Promise<ProviderView[]>;
  /** The last menu shown (the whole-app tests read it through the hooks of a test build). */
  lastMenu: TrayMenuEntry[] = [];

  constructor(
    private readonly service: TrayService,
    private readonly electron: TrayElectron,
    private readonly iconDir: string,
    private readonly desktop: TrayDesktop,
  ) {
    this.providers = service.providers.list();
    this.tray = electron.createTray(this.icon('idle'));
    this.tray.on('click', () => this.run({ type: 'open-window' }));
    const events = service.events;
    this.offs.push(
      events.on('uploadProgress', (p) => {
        this.progress.set(p.id, { sentBytes: p.sentBytes, totalBytes: p.totalBytes });
        this.schedule();
      }),
      events.on('fileChanged', (row) => {
        if (row.state !== 'uploading') this.progress.delete(row.id);
        this.schedule();
      }),
      events.on('statusChanged', () => this.schedule()),
      events.on('settingsChanged', () => {
        this.providers = service.providers.list();
        this.schedule();
      }),
    );
    void this.refresh();
  }

  /** Runs a menu action, then refreshes the menu (a pause or resume shows at once). */
  run(action: TrayAction): void {
    runTrayAction(action, this.service, this.desktop);
    this.schedule();
  }

  private icon(state: TrayIconState): NativeImage {
    return this.electron.iconFromPath(join(this.iconDir, trayIconFile(state)));
  }

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, REFRESH_MS);
  }

  private async input(): Promise<TrayInput> {
    const status = this.service.status();
    const sums = [...this.progress.values()].reduce((a, p) => ({ sentBytes: a.sentBytes + p.sentBytes, totalBytes: a.totalBytes + p.totalBytes }), { sentBytes: 0, totalBytes: 0 });
    return {
      engine: status.engine,
      activeStorage: status.activeStorage,
      failedCount: (status.counts.byState.failed ?? 0) + (status.counts.byState.conflict ?? 0),
      progress: this.progress.size ? sums : null,
      providers: await this.providers,
      recent: this.service.log.list({ states: ['offloaded', 'local-removed'], limit: RECENT_UPLOADS }).map((r) => ({ fileId: r.id, name: basename(r.path) })),
    };
  }

  async refresh(): Promise<void> {
    if (this.tray.isDestroyed()) return;
    const input = await this.input();
    // Destroyed while the providers were read (the app is quitting): nothing to draw on.
    if (this.tray.isDestroyed()) return;
    this.lastMenu = trayMenu(input);
    this.tray.setImage(this.icon(trayIconState(input)));
    this.tray.setToolTip(trayTooltip(input));
    this.tray.setContextMenu(this.electron.buildMenu(this.lastMenu.map((e) => this.toElectron(e))));
  }

  private toElectron(entry: TrayMenuEntry): MenuItemConstructorOptions {
    if (entry.kind === 'separator') return { type: 'separator' };
    if (entry.kind === 'submenu') return { id: entry.id, label: entry.label, enabled: entry.enabled ?? true, submenu: entry.submenu.map((e) => this.toElectron(e)) };
    const action = entry.action;
    return {
      id: entry.id,
      type: entry.kind,
      label: entry.label,
      checked: entry.checked ?? false,
      enabled: entry.enabled ?? true,
      ...(action ? { click: () => this.run(action) } : {}),
    };
  }

  /** Idempotent: the quit path and a test may both call it. */
  destroy(): void {
    this.offs.splice(0).forEach((off) => off());
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
