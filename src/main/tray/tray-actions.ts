/**
 * What each tray menu action does (PRODUCT.md §6): the service facet or desktop call behind it. Apart from
 * tray.ts, which only turns menu entries into Electron items, so the table is unit-tested under Node.
 */
import type { OffloadService } from '../../core/service';
import { LOG_ROUTE } from '../window-controller';
import type { TrayAction } from './tray-model';

/** The service facets the tray's actions use. */
export interface TrayActionService {
  storage: Pick<OffloadService['storage'], 'setActive'>;
  queue: Pick<OffloadService['queue'], 'pause' | 'resume'>;
}

/** The desktop calls the tray's actions use. */
export interface TrayDesktop {
  showWindow(route?: string): void;
  copyLink(fileId: number): void;
  quit(): void;
  /** A command that failed: the menu has nowhere to show it, so main shows a dialog. */
  showError(error: unknown): void;
}

export function runTrayAction(action: TrayAction, service: TrayActionService, desktop: TrayDesktop): void {
  switch (action.type) {
    case 'set-active-storage':
      // Refused when the provider stopped being ready since the menu was built; the error says why.
      void service.storage.setActive(action.id).catch((error: unknown) => desktop.showError(error));
      return;
    case 'pause':
      service.queue.pause();
      return;
    case 'resume':
      service.queue.resume();
      return;
    case 'open-window':
      desktop.showWindow();
      return;
    case 'open-log':
      desktop.showWindow(LOG_ROUTE);
      return;
    case 'copy-link':
      desktop.copyLink(action.fileId);
      return;
    case 'quit':
      desktop.quit();
      return;
    default:
      // A new action fails to compile here until it is given a meaning.
      action satisfies never;
  }
}
