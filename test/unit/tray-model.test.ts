import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/events';
import type { ProviderView } from '../../src/shared/ipc/contract';
import { trayIconState, trayMenu, trayTooltip, type TrayInput, type TrayMenuEntry } from '../../src/main/tray/tray-model';

const engine = (over: Partial<EngineStatus> = {}): EngineStatus => ({ paused: false, pauseReasons: [], offline: false, queued: 0, active: 0, activeStorage: 'studio', ...over });
const provider = (id: string, status: ProviderView['status'], label?: string): ProviderView =>
  ({ id, type: 'minio', label, enabled: status !== 'disabled', bucket: 'b', keyPrefix: '', hasSecret: true, status, issues: [], filesHeld: 0 }) as ProviderView;

const base: TrayInput = {
  engine: engine(),
  activeStorage: 'studio',
  failedCount: 0,
  progress: null,
  providers: [provider('studio', 'ready', 'Studio R2'), provider('archive', 'ready'), provider('half', 'incomplete'), provider('off', 'disabled')],
  recent: [],
};

const find = (menu: TrayMenuEntry[], id: string): TrayMenuEntry | undefined => {
  for (const e of menu) {
    if (e.kind !== 'separator' && e.id === id) return e;
    if (e.kind === 'submenu') {
      const inner = find(e.submenu, id);
      if (inner) return inner;
    }
  }
  return undefined;
};

describe('tray icon state', () => {
  it.each<[string, Partial<TrayInput>, string]>([
    ['idle when nothing waits', {}, 'idle'],
    ['uploading while files are active', { engine: engine({ active: 2 }) }, 'uploading'],
    ['uploading while files are queued', { engine: engine({ queued: 3 }) }, 'uploading'],
    ['paused over everything else', { engine: engine({ paused: true, active: 1, offline: true }), failedCount: 2 }, 'paused'],
    ['error while the bucket is unreachable', { engine: engine({ offline: true, queued: 4 }) }, 'error'],
    ['error while failed files wait for the user', { failedCount: 1 }, 'error'],
    ['idle when the engine is not running', { engine: null }, 'idle'],
  ])('%s', (_name, over, expected) => {
    expect(trayIconState({ ...base, ...over })).toBe(expected);
  });
});

describe('tray tooltip', () => {
  it('shows upload progress with bytes and percent, and what waits', () => {
    const tip = trayTooltip({ ...base, engine: engine({ active: 2, queued: 5 }), progress: { sentBytes: 12_000_000, totalBytes: 48_000_000 } });
    expect(tip).toBe('Offload Companion: uploading 2 files — 25% (12.0 MB of 48.0 MB), 5 waiting to Studio R2');
  });
  it.each<[Partial<TrayInput>, string]>([
    [{}, 'Offload Companion: idle, offloading to Studio R2'],
    [{ activeStorage: 'local' }, 'Offload Companion: idle, offloading to Local (this machine)'],
    [{ engine: engine({ paused: true, queued: 1 }) }, 'Offload Companion: paused, 1 waiting'],
    [{ engine: engine({ paused: true, pauseReasons: ['user'], queued: 1 }) }, 'Offload Companion: paused (by you), 1 waiting'],
    [{ engine: engine({ paused: true, pauseReasons: ['on-battery'] }) }, 'Offload Companion: paused (on battery)'],
    [{ engine: engine({ paused: true, pauseReasons: ['user', 'metered-network'], queued: 2 }) }, 'Offload Companion: paused (by you; metered connection), 2 waiting'],
    [{ engine: engine({ offline: true, queued: 3 }) }, 'Offload Companion: bucket unreachable, retrying, 3 waiting'],
    [{ failedCount: 1 }, 'Offload Companion: 1 file failed — open the log to retry'],
    [{ engine: null }, 'Offload Companion: not running'],
  ])('%j', (over, expected) => {
    expect(trayTooltip({ ...base, ...over })).toBe(expected);
  });
});

describe('tray menu', () => {
  it('lists only ready providers plus Local as the storage radio list, the active one checked', () => {
    const storage = find(trayMenu(base), 'storage');
    expect(storage).toMatchObject({ kind: 'submenu', label: 'Storage: Studio R2' });
    if (storage?.kind !== 'submenu') throw new Error('no storage submenu');
    expect(storage.submenu.map((e) => (e.kind === 'radio' ? [e.label, e.checked, e.action] : null))).toEqual([
      ['Studio R2', true, { type: 'set-active-storage', id: 'studio' }],
      ['archive', false, { type: 'set-active-storage', id: 'archive' }],
      ['Local (this machine)', false, { type: 'set-active-storage', id: 'local' }],
    ]);
  });

  it('offers pause while running and resume while paused; both disabled when the engine is not running', () => {
    expect(find(trayMenu(base), 'pause')).toMatchObject({ label: 'Pause offloading', enabled: true, action: { type: 'pause' } });
    expect(find(trayMenu(base), 'resume')).toBeUndefined();
    expect(find(trayMenu({ ...base, engine: engine({ paused: true }) }), 'resume')).toMatchObject({ action: { type: 'resume' }, enabled: true });
    expect(find(trayMenu({ ...base, engine: null }), 'pause')).toMatchObject({ enabled: false });
  });

  it("shows each hold with how it ends, and offers resume only for the user's own pause", () => {
    const battery = trayMenu({ ...base, engine: engine({ paused: true, pauseReasons: ['on-battery'] }) });
    expect(find(battery, 'held:on-battery')).toEqual({ kind: 'normal', id: 'held:on-battery', label: 'Paused while on battery — resumes on AC power', enabled: false });
    // Held by a condition only: resume would change nothing, so the user may still pause on top of it.
    expect(find(battery, 'resume')).toBeUndefined();
    expect(find(battery, 'pause')).toMatchObject({ action: { type: 'pause' } });
    const both = trayMenu({ ...base, engine: engine({ paused: true, pauseReasons: ['user', 'metered-network'] }) });
    expect(find(both, 'held:metered-network')).toMatchObject({ label: 'Paused while the network connection is metered — resumes on an unmetered connection', enabled: false });
    expect(find(both, 'held:user')).toBeUndefined();
    expect(find(both, 'resume')).toMatchObject({ action: { type: 'resume' } });
    expect(find(trayMenu(base), 'held:on-battery')).toBeUndefined();
  });

  it('lists recent uploads, each copying its link; the submenu is disabled when there are none', () => {
    expect(find(trayMenu(base), 'recent')).toMatchObject({ enabled: false, submenu: [] });
    const menu = trayMenu({ ...base, recent: [{ fileId: 7, name: 'render-0007.png' }] });
    expect(find(menu, 'recent:7')).toMatchObject({ label: 'Copy link: render-0007.png', action: { type: 'copy-link', fileId: 7 } });
  });

  it('has open window, open log (with the failed count), and quit last', () => {
    const menu = trayMenu({ ...base, failedCount: 2 });
    expect(find(menu, 'open-window')).toMatchObject({ action: { type: 'open-window' } });
    expect(find(menu, 'open-log')).toMatchObject({ label: 'Open offload log (2 failed)', action: { type: 'open-log' } });
    expect(menu.at(-1)).toMatchObject({ id: 'quit', action: { type: 'quit' } });
  });
});
