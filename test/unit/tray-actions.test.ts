import { describe, expect, it, vi } from 'vitest';
import { CoreError } from '../../src/core/errors';
import type { SettingsView } from '../../src/shared/events';
import { runTrayAction, type TrayActionService, type TrayDesktop } from '../../src/main/tray/tray-actions';
import type { TrayAction } from '../../src/main/tray/tray-model';

const view: SettingsView = { activeStorage: 'studio', watchFolders: [], upload: {} as SettingsView['upload'], retention: { rightAway: false, afterDays: null, lowSpace: null, moveToTrash: false } };

function setup(setActive: (id: string) => Promise<SettingsView> = async () => view) {
  const service = {
    storage: { setActive: vi.fn(setActive) },
    queue: { pause: vi.fn(), resume: vi.fn() },
  } satisfies TrayActionService;
  const desktop = { showWindow: vi.fn(), copyLink: vi.fn(), quit: vi.fn(), showError: vi.fn() } satisfies TrayDesktop;
  /** Every call made, service and desktop, as [name, ...args]. */
  const calls = (): unknown[][] =>
    Object.entries({
      'storage.setActive': service.storage.setActive,
      'queue.pause': service.queue.pause,
      'queue.resume': service.queue.resume,
      showWindow: desktop.showWindow,
      copyLink: desktop.copyLink,
      quit: desktop.quit,
      showError: desktop.showError,
    }).flatMap(([name, fn]) => fn.mock.calls.map((args: unknown[]) => [name, ...args]));
  return { service, desktop, calls };
}

describe('tray actions', () => {
  it.each<[TrayAction, unknown[]]>([
    [{ type: 'set-active-storage', id: 'studio' }, ['storage.setActive', 'studio']],
    [{ type: 'pause' }, ['queue.pause']],
    [{ type: 'resume' }, ['queue.resume']],
    [{ type: 'open-window' }, ['showWindow']],
    [{ type: 'open-log' }, ['showWindow', '#/log']],
    [{ type: 'copy-link', fileId: 42 }, ['copyLink', 42]],
    [{ type: 'quit' }, ['quit']],
  ])('%j calls exactly %j', (action, call) => {
    const { service, desktop, calls } = setup();
    runTrayAction(action, service, desktop);
    expect(calls()).toEqual([call]);
  });

  it('shows why the active storage could not be switched', async () => {
    const refused = new CoreError('provider-not-ready', 'Provider "studio" is not ready', 'Enable the provider, then choose it again.');
    const { service, desktop } = setup(async () => {
      throw refused;
    });
    runTrayAction({ type: 'set-active-storage', id: 'studio' }, service, desktop);
    await vi.waitFor(() => expect(desktop.showError).toHaveBeenCalledWith(refused));
  });
});
