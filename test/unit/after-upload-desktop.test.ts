/**
 * The desktop half of after-upload actions (src/main/after-upload-desktop.ts) with Electron's clipboard,
 * notifications and browser as recorded stand-ins: what a click on the notification does, and a desktop
 * without notifications refusing (so the file's timeline says so).
 */
import { describe, expect, it } from 'vitest';
import { afterUploadDesktop } from '../../src/main/after-upload-desktop';
import type { NotificationShell } from '../../src/main/notifications/notifier';

function setup(supported = true) {
  const copied: string[] = [];
  const opened: string[] = [];
  const shown: { title: string; body: string; silent: boolean; click: () => void }[] = [];
  let logShown = 0;
  const notifications: NotificationShell = {
    isSupported: () => supported,
    create: (options) => {
      const entry = { ...options, click: () => undefined as void };
      return { on: (_e, listener) => void (entry.click = listener), show: () => void shown.push(entry) };
    },
  };
  const desktop = afterUploadDesktop({
    clipboard: { writeText: (t) => void copied.push(t) },
    notifications,
    openExternal: async (url) => void opened.push(url),
    showLog: () => void logShown++,
  });
  return { desktop, copied, opened, shown, logs: () => logShown };
}

describe('after-upload on the desktop', () => {
  it('copies, opens, and shows silent notifications whose click copies, opens or shows the log', async () => {
    const s = setup();
    await s.desktop.copyText('a\nb');
    await s.desktop.openLink('https://cdn.example.test/a.png');
    await s.desktop.notify({ title: '2 files offloaded', body: 'a, b', click: { kind: 'copy', text: 'a\nb' } });
    await s.desktop.notify({
      title: 'Offloaded: a.png',
      body: 'https://cdn.example.test/a.png',
      click: { kind: 'open', url: 'https://cdn.example.test/a.png' },
    });
    await s.desktop.notify({ title: '2 files offloaded', body: 'a, b', click: { kind: 'log' } });
    expect(s.shown.map((n) => [n.title, n.silent])).toEqual([
      ['2 files offloaded', true],
      ['Offloaded: a.png', true],
      ['2 files offloaded', true],
    ]);
    s.shown.forEach((n) => n.click());
    expect(s.copied).toEqual(['a\nb', 'a\nb']);
    expect(s.opened).toEqual(['https://cdn.example.test/a.png', 'https://cdn.example.test/a.png']);
    expect(s.logs()).toBe(1);
  });

  it('refuses to notify where the desktop shows no notifications', async () => {
    const s = setup(false);
    await expect(s.desktop.notify({ title: 't', body: 'b', click: { kind: 'log' } })).rejects.toMatchObject({
      code: 'notifications-unavailable',
    });
  });
});
