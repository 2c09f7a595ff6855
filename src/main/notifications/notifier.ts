/** Shows the notifications notification-rules.ts decides on; clicking an upload's copies its link. */
import { Notification } from 'electron';
import type { OffloadService } from '../../core/service';
import type { DesktopPreferences } from '../../shared/desktop';
import { NotificationLimiter, notificationFor, type NotifiableEvent, type NotificationSpec } from './notification-rules';

export function startNotifier(service: OffloadService, prefs: () => DesktopPreferences, onClick: (spec: NotificationSpec) => void): () => void {
  if (!Notification.isSupported()) return () => undefined;
  const limiter = new NotificationLimiter();
  const show = (spec: NotificationSpec | null): void => {
    if (!spec) return;
    const n = new Notification({ title: spec.title, body: spec.body, silent: spec.kind === 'upload' });
    n.on('click', () => onClick(spec));
    n.show();
  };
  const consider = (event: NotifiableEvent): void => {
    const spec = notificationFor(event, prefs());
    if (spec) show(limiter.offer(spec, Date.now()));
  };
  const drain = setInterval(() => show(limiter.drain(Date.now())), 2_000);
  const offs = [service.events.on('fileChanged', (row) => consider({ type: 'fileChanged', row })), service.events.on('notice', (notice) => consider({ type: 'notice', notice }))];
  return () => {
    clearInterval(drain);
    offs.forEach((off) => off());
  };
}
