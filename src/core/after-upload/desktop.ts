/**
 * What only the desktop can do for after-upload actions — the clipboard, a notification, the browser —
 * defined here and supplied by main (src/main/after-upload-desktop.ts over Electron) or by a test. The
 * headless `offload watch` supplies none: it prints the links and runs the command action only.
 */

/** What a click on the after-upload notification does. */
export type NotificationClick = { kind: 'copy'; text: string } | { kind: 'open'; url: string } | { kind: 'log' };

export interface AfterUploadNotification {
  title: string;
  body: string;
  click: NotificationClick;
}

export interface AfterUploadDesktop {
  /** Puts the text on the clipboard; rejects when there is no clipboard to write. */
  copyText(text: string): Promise<void>;
  /** Opens an http(s) link in the user's browser; rejects when it cannot (or the link is refused). */
  openLink(url: string): Promise<void>;
  /** Shows a notification; rejects when this desktop shows none. */
  notify(notification: AfterUploadNotification): Promise<void>;
}
