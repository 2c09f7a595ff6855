import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/shared/ledger';
import { NotificationLimiter, notificationFor, type NotificationSpec } from '../../src/main/notifications/notification-rules';

const row = (over: Partial<FileRecord>): FileRecord => ({
  id: 9, path: '/home/u/results/shot 01.png', watchRoot: '/home/u/results', relPath: 'shot 01.png', size: 10, mtimeMs: 1, sha256: null, state: 'offloaded',
  providerId: 'studio', bucket: 'b', key: 'shot 01.png', url: null, attempts: 1, lastError: null, errorCode: null, timestamps: {}, updatedAt: 1, ...over,
});
const defaults = { notifyOnFailure: true, notifyOnUpload: false };

describe('notification rules', () => {
  it('notifies a failure with its cause and that the file is still local', () => {
    const spec = notificationFor({ type: 'fileChanged', row: row({ state: 'failed', lastError: 'The access key is not recognised' }) }, defaults);
    expect(spec).toEqual({ kind: 'failure', title: 'Not offloaded: shot 01.png', body: 'The access key is not recognised. The file is still on this computer; retry it from the offload log.' });
  });

  it('notifies a conflict as a failure', () => {
    expect(notificationFor({ type: 'fileChanged', row: row({ state: 'conflict' }) }, defaults)?.kind).toBe('failure');
  });

  it('stays quiet on failures when the user turned them off', () => {
    expect(notificationFor({ type: 'fileChanged', row: row({ state: 'failed' }) }, { ...defaults, notifyOnFailure: false })).toBeNull();
  });

  it('notifies each upload only when asked, and the click target is the file', () => {
    expect(notificationFor({ type: 'fileChanged', row: row({}) }, defaults)).toBeNull();
    expect(notificationFor({ type: 'fileChanged', row: row({}) }, { ...defaults, notifyOnUpload: true })).toMatchObject({ kind: 'upload', title: 'Offloaded: shot 01.png', fileId: 9 });
  });

  it('ignores intermediate states', () => {
    for (const state of ['detected', 'queued', 'uploading', 'verifying', 'local-removed'] as const) {
      expect(notificationFor({ type: 'fileChanged', row: row({ state }) }, { notifyOnFailure: true, notifyOnUpload: true })).toBeNull();
    }
  });

  it('notifies error notices (a watch folder gone), not info or warnings', () => {
    const notice = (level: 'info' | 'warning' | 'error') => ({ type: 'notice' as const, notice: { level, code: 'watch-folder-missing', message: 'Watch folder /x cannot be watched' } });
    expect(notificationFor(notice('error'), defaults)).toMatchObject({ kind: 'notice', body: 'Watch folder /x cannot be watched' });
    expect(notificationFor(notice('warning'), defaults)).toBeNull();
  });
});

describe('notification limiter', () => {
  const spec = (kind: NotificationSpec['kind']): NotificationSpec => ({ kind, title: kind, body: '' });

  it('shows the first three in a window, holds the rest, and sums them up once the window has passed', () => {
    const limiter = new NotificationLimiter(3, 10_000);
    const shown = [0, 1, 2, 3, 4, 5].map((i) => limiter.offer(spec(i < 4 ? 'failure' : 'upload'), 1000 + i));
    expect(shown.filter(Boolean)).toHaveLength(3);
    expect(limiter.drain(5_000)).toBeNull();
    expect(limiter.drain(11_000)).toMatchObject({ kind: 'summary', title: 'Offload Companion: 1 more problem, 2 more offloaded' });
    expect(limiter.drain(30_000)).toBeNull();
  });

  it('opens a new window after the old one passed', () => {
    const limiter = new NotificationLimiter(1, 1000);
    expect(limiter.offer(spec('failure'), 0)).not.toBeNull();
    expect(limiter.offer(spec('failure'), 500)).toBeNull();
    expect(limiter.offer(spec('failure'), 1500)).not.toBeNull();
  });
});
