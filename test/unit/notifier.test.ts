import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from '../../src/core/events';
import { defaultDesktopPreferences, type DesktopPreferences } from '../../src/shared/desktop';
import type { EngineEvents } from '../../src/shared/events';
import type { FileRecord, FileState } from '../../src/shared/ledger';
import { startNotifier, type NotificationHandle, type NotificationShell } from '../../src/main/notifications/notifier';

interface Shown {
  title: string;
  body: string;
  silent: boolean;
  click: () => void;
}

/** Electron's Notification as far as the notifier uses it: what was shown, with its click. */
function fakeShell(supported = true): NotificationShell & { shown: Shown[] } {
  const shown: Shown[] = [];
  return {
    shown,
    isSupported: () => supported,
    create: (options): NotificationHandle => {
      const entry: Shown = { ...options, click: () => undefined };
      return {
        on: (_event, listener) => void (entry.click = listener),
        show: () => void shown.push(entry),
      };
    },
  };
}

const row = (id: number, state: FileState, lastError: string | null = null): FileRecord => ({
  id,
  path: `/w/shot-${id}.png`,
  watchRoot: '/w',
  relPath: `shot-${id}.png`,
  size: 1,
  mtimeMs: 1,
  sha256: null,
  state,
  providerId: 'studio',
  bucket: 'b',
  key: null,
  url: null,
  attempts: 1,
  lastError,
  errorCode: null,
  timestamps: {},
  updatedAt: 1,
});

describe('notifier', () => {
  let events: TypedEmitter<EngineEvents>;
  let prefs: DesktopPreferences;
  const clicks = { copyLink: vi.fn(), openLog: vi.fn() };
  let stop: () => void = () => undefined;

  beforeEach(() => {
    vi.useFakeTimers();
    events = new TypedEmitter<EngineEvents>();
    prefs = { ...defaultDesktopPreferences, notifyOnFailure: true, notifyOnUpload: true };
    clicks.copyLink.mockClear();
    clicks.openLog.mockClear();
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it('shows a failure aloud; clicking it opens the offload log', () => {
    const shell = fakeShell();
    stop = startNotifier({ events }, shell, () => prefs, clicks);
    events.emit('fileChanged', row(1, 'failed', 'Access Denied'));
    expect(shell.shown).toHaveLength(1);
    expect(shell.shown[0]).toMatchObject({ title: 'Not offloaded: shot-1.png', silent: false });
    shell.shown[0]!.click();
    expect(clicks.openLog).toHaveBeenCalledOnce();
    expect(clicks.copyLink).not.toHaveBeenCalled();
  });

  it('shows a verified upload silently; clicking it copies that file\'s link', () => {
    const shell = fakeShell();
    stop = startNotifier({ events }, shell, () => prefs, clicks);
    events.emit('fileChanged', row(7, 'offloaded'));
    expect(shell.shown[0]).toMatchObject({ title: 'Offloaded: shot-7.png', silent: true });
    shell.shown[0]!.click();
    expect(clicks.copyLink).toHaveBeenCalledWith(7);
  });

  it('reads the preferences at each event', () => {
    const shell = fakeShell();
    stop = startNotifier({ events }, shell, () => prefs, clicks);
    prefs = { ...prefs, notifyOnUpload: false };
    events.emit('fileChanged', row(2, 'offloaded'));
    expect(shell.shown).toEqual([]);
  });

  it('sums a storm up in one notification once the window has passed', () => {
    const shell = fakeShell();
    stop = startNotifier({ events }, shell, () => prefs, clicks);
    for (let id = 1; id <= 5; id++) events.emit('fileChanged', row(id, 'failed'));
    expect(shell.shown).toHaveLength(3);
    vi.advanceTimersByTime(10_000);
    expect(shell.shown).toHaveLength(4);
    expect(shell.shown[3]!.title).toBe('Offload Companion: 2 more problems');
  });

  it('listens to nothing where notifications are not supported', () => {
    const shell = fakeShell(false);
    stop = startNotifier({ events }, shell, () => prefs, clicks);
    events.emit('fileChanged', row(1, 'failed'));
    expect(shell.shown).toEqual([]);
  });

  it('stops listening and summing up when stopped, twice without harm', () => {
    const shell = fakeShell();
    stop = startNotifier({ events }, shell, () => prefs, clicks);
    for (let id = 1; id <= 4; id++) events.emit('fileChanged', row(id, 'failed'));
    stop();
    stop();
    events.emit('notice', { level: 'error', code: 'x', message: 'watch folder gone' });
    vi.advanceTimersByTime(20_000);
    expect(shell.shown).toHaveLength(3);
  });
});
