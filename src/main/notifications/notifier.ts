/**
 * Shows the notifications notification-rules.ts decides on. Clicking an upload's copies its link; any
 * other opens the offload log, where the failure's reason and retry are. Electron's Notification comes in
 * as `NotificationShell`, so this is unit-tested with a fake.
 */
import type { OffloadService } from '../../core/service';
import type { DesktopPreferences } from '../../shared/desktop';
import { NotificationLimiter, notificationFor, type NotifiableEvent, type NotificationSpec } from './notification-rules';

/** Held notifications are summed up this often (the limiter's window decides whether it is time). */
const DRAIN_MS = 2_000;

export interface NotificationHandle {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

/** What the notifier uses of Electron's Notification. */
export interface NotificationShell {
  isSupported(): boolean;
  create(options: { title: string; body: string; silent: boolean }): NotificationHandle;
}

/** What a click on a notification does. */
export interface NotificationClicks {
  copyLink(fileId: number): void;
  openLog(): void;
}

/** Starts notifying; returns the stop (idempotent). */
export function startNotifier(
  service: Pick<OffloadService, 'events'>,
  shell: NotificationShell,
  prefs: () => DesktopPreferences,
  clicks: NotificationClicks,
): () => void {
  if (!shell.isSupported()) return () => undefined;
  const limiter = new NotificationLimiter();
  const show = (spec: NotificationSpec | null): void => {
    if (!spec) return;
    // Only uploads are silent: a failure needs the user, a stream of successes must not nag.
    const n = shell.create({ title: spec.title, body: spec.body, silent: spec.kind === 'upload' });
    n.on('click', () => (spec.fileId !== undefined ? clicks.copyLink(spec.fileId) : clicks.openLog()));
    n.show();
  };
  const consider = (event: NotifiableEvent): void => {
    const spec = notificationFor(event, prefs());
    if (spec) show(limiter.offer(spec, Date.now()));
  };
  const drain = setInterval(() => show(limiter.drain(Date.now())), DRAIN_MS);
  const offs = [service.events.on('fileChanged', (row) => consider({ type: 'fileChanged', row })), service.events.on('notice', (notice) => consider({ type: 'notice', notice }))];
  return () => {
    clearInterval(drain);
    offs.splice(0).forEach((off) => off());
  };
}
