/**
 * The desktop half of after-upload actions (src/core/after-upload/): Electron's clipboard, notifications
 * and the browser behind the core's AfterUploadDesktop. Electron's objects come in as narrow interfaces,
 * so this is unit-tested with fakes. A click on the notification copies the link(s), opens the link, or
 * (for a burst told to open) shows the offload log.
 */
import type { AfterUploadDesktop } from '../core/after-upload/desktop';
import { CoreError } from '../core/errors';
import type { TextClipboard } from './copy-link';
import type { NotificationShell } from './notifications/notifier';

export interface AfterUploadElectron {
  clipboard: TextClipboard;
  notifications: NotificationShell;
  /** The allow-listed way links leave the app (desktop-platform.ts openAllowedExternal). */
  openExternal(url: string): Promise<void>;
  showLog(): void;
}

export function afterUploadDesktop({ clipboard, notifications, openExternal, showLog }: AfterUploadElectron): AfterUploadDesktop {
  return {
    async copyText(text) {
      clipboard.writeText(text);
    },
    openLink: openExternal,
    async notify({ title, body, click }) {
      if (!notifications.isSupported()) {
        throw new CoreError(
          'notifications-unavailable',
          'this desktop shows no notifications',
          'Turn on notifications for Offload Companion in the system settings, or use "Copy the link" instead.',
        );
      }
      const shown = notifications.create({ title, body, silent: true });
      shown.on('click', () => {
        if (click.kind === 'copy') clipboard.writeText(click.text);
        else if (click.kind === 'open') void openExternal(click.url).catch(() => undefined);
        else showLog();
      });
      shown.show();
    },
  };
}
