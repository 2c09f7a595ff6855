/**
 * The app's life in the tray (PRODUCT.md §6): a second launch brings the window back, closing the last
 * window keeps the app running, and quitting first lets in-flight uploads stop at a safe point (the ledger
 * resumes them on the next start). `app` is passed in, so this is unit-tested with a fake.
 */

/** What the lifecycle uses of Electron's `app`. */
export interface LifecycleApp {
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export interface AppLifecycle {
  /** True from the first quit request on: the window then closes for real instead of hiding. */
  isQuitting(): boolean;
  /** What must finish before the app exits (stop the engine, remove the tray); set once the service runs. */
  closeBeforeQuit(shutdown: () => Promise<void>): void;
}

export function bindLifecycle(app: LifecycleApp, showWindow: () => void): AppLifecycle {
  let quitting = false;
  let shutdown: (() => Promise<void>) | null = null;
  app.on('second-instance', () => showWindow());
  app.on('window-all-closed', () => {
    // Stay in the tray; quitting is explicit (tray menu) or the OS session ending.
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (!shutdown) return; // nothing running (not started, failed to start, or already closed): quit now
    event.preventDefault();
    const closing = shutdown;
    shutdown = null;
    // Quit even when closing fails: staying up half-closed helps no one, and the ledger resumes the rest.
    void closing()
      .catch(() => undefined)
      .then(() => app.quit());
  });
  return {
    isQuitting: () => quitting,
    closeBeforeQuit: (fn) => {
      shutdown = fn;
    },
  };
}
