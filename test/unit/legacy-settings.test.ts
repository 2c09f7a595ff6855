import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, saveSettings } from '../../src/core/settings/settings-file';

/** Settings as the version before the retention policy wrote them: removal was a switch per provider. */
const written = (providers: Record<string, unknown>[], activeStorage = 'studio') => ({
  version: 1,
  activeStorage,
  providers: providers.map((p, i) => ({ id: i === 0 ? 'studio' : `p${i}`, type: 'minio', bucket: 'b', endpoint: 'http://127.0.0.1:9000', ...p })),
});

describe('the per-provider removal switch becomes the retention policy', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'offload-legacy-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('on → right away (with the trash when it was chosen), off → never', () => {
    expect(parseSettings(written([{ deleteLocalAfterUpload: true }]), 'f').retention).toEqual({ rightAway: true, afterDays: null, lowSpace: null, moveToTrash: false });
    expect(parseSettings(written([{ deleteLocalAfterUpload: true, moveToTrash: true }]), 'f').retention).toMatchObject({ rightAway: true, moveToTrash: true });
    expect(parseSettings(written([{ deleteLocalAfterUpload: false, moveToTrash: true }]), 'f').retention).toEqual({ rightAway: false, afterDays: null, lowSpace: null, moveToTrash: false });
  });

  it('right away only when every provider removed (one without the field did not): a copy the old switch kept is never removed', () => {
    const mixed = [{ deleteLocalAfterUpload: false }, { deleteLocalAfterUpload: true }];
    // Files offloaded to the provider with removal off stay, whichever storage is active.
    expect(parseSettings(written(mixed, 'p1'), 'f').retention.rightAway).toBe(false);
    expect(parseSettings(written(mixed, 'studio'), 'f').retention.rightAway).toBe(false);
    expect(parseSettings(written([{}, { deleteLocalAfterUpload: true }], 'p1'), 'f').retention.rightAway).toBe(false);
    expect(parseSettings(written([{ deleteLocalAfterUpload: true }, { deleteLocalAfterUpload: true }], 'local'), 'f').retention.rightAway).toBe(true);
    // The trash only when every one chose it.
    expect(parseSettings(written([{ deleteLocalAfterUpload: true, moveToTrash: true }, { deleteLocalAfterUpload: true }]), 'f').retention).toMatchObject({ rightAway: true, moveToTrash: false });
  });

  it('a file that already has a retention policy is read as it is', () => {
    const settings = { ...written([{ deleteLocalAfterUpload: true }]), retention: { afterDays: 14 } };
    expect(parseSettings(settings, 'f').retention).toEqual({ rightAway: false, afterDays: 14, lowSpace: null, moveToTrash: false });
  });

  it('a file written by the earlier version loads migrated, and is saved without the old fields', async () => {
    const file = join(dir, 'settings.json');
    await writeFile(file, JSON.stringify(written([{ deleteLocalAfterUpload: true, moveToTrash: true }])));
    const settings = await loadSettings(file);
    expect(settings.retention).toMatchObject({ rightAway: true, moveToTrash: true });
    await saveSettings(file, settings);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { providers: Record<string, unknown>[]; retention: unknown };
    expect(saved.providers[0]).not.toHaveProperty('deleteLocalAfterUpload');
    expect(saved.providers[0]).not.toHaveProperty('moveToTrash');
    expect(saved.retention).toMatchObject({ rightAway: true, moveToTrash: true });
    // Read again: the same policy (the migration does not run twice on its own output).
    expect((await loadSettings(file)).retention).toEqual(settings.retention);
  });

  it('a bad policy names the field', () => {
    expect(() => parseSettings({ retention: { afterDays: 0 } }, 'settings.json')).toThrow('settings.json: retention.afterDays: at least 1 day');
    expect(() => parseSettings({ retention: { lowSpace: { below: 120, unit: '%' } } }, 'settings.json')).toThrow('retention.lowSpace.below: a percentage must be under 100');
  });
});
