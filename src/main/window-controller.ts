/**
 * The one main window over the app's life (PRODUCT.md §6): made on the first show, brought to the front on
 * later ones, and hidden rather than closed while the app lives in the tray. The window comes from a
 * factory (window.ts in the app, a fake in tests), so this is unit-tested under Node.
 */
import type { WebContents } from 'electron';
import { APP_ORIGIN } from './app-origin';

/** The renderer's route of the offload log. */
export const LOG_ROUTE = '#/log';

/** What the controller uses of a BrowserWindow. */
export interface ManagedWindow {
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  hide(): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export class MainWindow {
  private window: ManagedWindow | null = null;

  /**
   * @param create makes a new window (hidden until its page is ready).
   * @param keepInTray asked when the user closes the window: true hides it instead (close to tray), so
   *   offloading goes on until the user quits.
   */
  constructor(
    private readonly create: () => ManagedWindow,
    private readonly keepInTray: () => boolean,
  ) {}

  /** Shows the window at `route`, making it when there is none; an empty route keeps the page it shows. */
  show(route = ''): void {
    const url = `${APP_ORIGIN}/index.html${route}`;
    const existing = this.window;
    if (existing) {
      if (route) void existing.loadURL(url);
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const window = this.create();
    this.window = window;
    window.once('ready-to-show', () => window.show());
    window.on('close', (event) => {
      if (!this.keepInTray()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    void window.loadURL(url);
  }

  /** Where the service's events go: null while there is no window. */
  contents(): WebContents | null {
    return this.window?.webContents ?? null;
  }
}
