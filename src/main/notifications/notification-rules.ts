/**
 * Which events become desktop notifications (PRODUCT.md §6), as pure functions: failures always (unless
 * turned off), each verified upload only when asked, and never a storm — past a few in a short window
 * the rest are summed up in one.
 */
import type { DesktopPreferences } from '../../shared/desktop';
import type { EngineEvents } from '../../shared/events';

export interface NotificationSpec {
  kind: 'failure' | 'upload' | 'notice' | 'summary';
  title: string;
  body: string;
  /** Clicking an upload notification copies this file's link. */
  fileId?: number;
}

export type NotifiableEvent = { type: 'fileChanged'; row: EngineEvents['fileChanged'] } | { type: 'notice'; notice: EngineEvents['notice'] };

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

export function notificationFor(event: NotifiableEvent, prefs: Pick<DesktopPreferences, 'notifyOnFailure' | 'notifyOnUpload'>): NotificationSpec | null {
  if (event.type === 'notice') {
    if (event.notice.level !== 'error' || !prefs.notifyOnFailure) return null;
    return { kind: 'notice', title: 'Offload Companion needs attention', body: event.notice.message };
  }
  const row = event.row;
  const name = fileName(row.path);
  if ((row.state === 'failed' || row.state === 'conflict') && prefs.notifyOnFailure) {
    const what = row.state === 'conflict' ? 'A different file already has its name in the bucket' : (row.lastError ?? 'upload failed');
    return { kind: 'failure', title: `Not offloaded: ${name}`, body: `${what}. The file is still on this computer; retry it from the offload log.` };
  }
  if (row.state === 'offloaded' && prefs.notifyOnUpload) {
    return { kind: 'upload', title: `Offloaded: ${name}`, body: 'Verified in the bucket. Click to copy the link.', fileId: row.id };
  }
  return null;
}

/**
 * At most `limit` notifications per `windowMs`; the rest are counted and reported as one summary when the
 * window has passed. The clock is passed in, so the rule is tested without waiting.
 */
export class NotificationLimiter {
  private windowStart = -Infinity;
  private shown = 0;
  private held: NotificationSpec[] = [];

  constructor(
    private readonly limit = 3,
    private readonly windowMs = 10_000,
  ) {}

  /** The notification to show now, or null when it is held for the summary. */
  offer(spec: NotificationSpec, now: number): NotificationSpec | null {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.shown = 0;
    }
    if (this.shown < this.limit) {
      this.shown += 1;
      return spec;
    }
    this.held.push(spec);
    return null;
  }

  /** After the window: one summary of what was held, or null. */
  drain(now: number): NotificationSpec | null {
    if (!this.held.length || now - this.windowStart < this.windowMs) return null;
    const failures = this.held.filter((s) => s.kind !== 'upload').length;
    const uploads = this.held.length - failures;
    this.held = [];
    this.windowStart = now;
    this.shown = 1;
    const parts = [failures ? `${failures} more ${failures === 1 ? 'problem' : 'problems'}` : '', uploads ? `${uploads} more offloaded` : ''].filter(Boolean);
    return { kind: 'summary', title: `Offload Companion: ${parts.join(', ')}`, body: failures ? 'Open the offload log to see why and retry.' : 'Open the offload log for their links.' };
  }
}
