/**
 * The tray icon and menu: glue that gathers the state from the service, asks tray-model.ts what to show,
 * and turns its entries into Electron objects. Rebuilt (at most every 250 ms) when the service reports a
 * change.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { basename, join } from 'node:path';
import type { OffloadService } from '../../core/service';
import type { ProviderView } from '../../shared/ipc/contract';
import { trayIconState, trayMenu, trayTooltip, type TrayAction, type TrayInput, type TrayMenuEntry } from './tray-model';

const REFRESH_MS = 250;

export class AppTray {
  private readonly tray: Tray;
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
    private readonly service: OffloadService,
    private readonly iconDir: string,
    private readonly run: (action: TrayAction) => void,
  ) {
    this.providers = service.providerViews();
    this.tray = new Tray(this.icon('idle'));
    this.tray.on('click', () => run({ type: 'open-window' }));
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
        this.providers = service.providerViews();
        this.schedule();
      }),
    );
    void this.refresh();
  }

  private icon(state: string): Electron.NativeImage {
    return nativeImage.createFromPath(join(this.iconDir, `tray-${state === 'uploading' ? 'busy' : state}.png`));
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
      recent: this.service.list({ states: ['offloaded', 'local-removed'], limit: 5 }).map((r) => ({ fileId: r.id, name: basename(r.path) })),
    };
  }

  async refresh(): Promise<void> {
    if (this.tray.isDestroyed()) return;
    const input = await this.input();
    this.lastMenu = trayMenu(input);
    this.tray.setImage(this.icon(trayIconState(input)));
    this.tray.setToolTip(trayTooltip(input));
    this.tray.setContextMenu(Menu.buildFromTemplate(this.lastMenu.map((e) => this.toElectron(e))));
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

  destroy(): void {
    this.offs.forEach((off) => off());
    if (this.timer) clearTimeout(this.timer);
    this.tray.destroy();
  }
}
