/**
 * Storages that leave (issue #14), through the service on each lab server: removing a provider that
 * holds verified files asks first; "keep" retires it (read-only: links still fetch the bytes, it cannot
 * become the default storage or be edited, the engine uploads nothing there); "forget" drops its rows.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { loadSettings } from '../../src/core/settings/settings-file';
import type { OffloadService } from '../../src/core/service';
import { createHarness, PROVIDER_ID, waitFor, waitOffloaded, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';

describe.each(labServers)('retired providers on $name', (server) => {
  let lab: LabServer;
  let h: Harness;
  let service: OffloadService;
  beforeAll(async () => {
    lab = await server.start();
  });
  afterAll(async () => {
    await lab?.stop();
  });
  afterEach(async () => {
    await service?.close();
    await h?.cleanup();
  });

  const offloaded = (rel: string) => waitOffloaded(service, rel);

  it('keep: the provider stays retired, its links still fetch the bytes, and it takes no new uploads', async () => {
    h = await createHarness(lab);
    service = await h.open();
    await h.write('day/a.png', 'aaaa');
    await service.start();
    const a = await offloaded('day/a.png');
    await service.storage.setActive('local');

    await expect(service.providers.remove(PROVIDER_ID)).rejects.toMatchObject({ code: 'provider-holds-files', message: expect.stringContaining('holds 1 offloaded file') });
    const views = await service.providers.remove(PROVIDER_ID, 'keep');
    expect(views.find((v) => v.id === PROVIDER_ID)).toMatchObject({ retired: true, status: 'retired', filesHeld: 1, hasSecret: true });
    expect((await loadSettings(h.settingsFile, { createIfMissing: false })).providers.find((p) => p.id === PROVIDER_ID)?.retired).toBe(true);

    // The link: presigned against the retired provider's bucket, it fetches the file's bytes.
    const link = await service.log.link(a.id, 300);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('aaaa');

    // Not a choice for new files: not activatable, not editable (its links depend on where it points).
    await expect(service.storage.setActive(PROVIDER_ID)).rejects.toMatchObject({ code: 'provider-retired' });
    const { hasSecret: _s, status: _st, issues: _i, filesHeld: _f, ...settings } = views.find((v) => v.id === PROVIDER_ID)!;
    await expect(service.providers.save({ ...settings, retired: false })).rejects.toMatchObject({ code: 'provider-retired' });

    // New files do not go there: with Local active, a new file stays local and nothing is written.
    const keysBefore = await h.keys();
    await h.write('day/b.png', 'bbbb');
    await waitFor(() => service.log.list().some((r) => r.relPath === 'day/b.png'), 20_000, 'b.png recorded');
    expect(service.log.list().find((r) => r.relPath === 'day/b.png')).toMatchObject({ state: 'skipped', providerId: 'local' });
    expect(await h.keys()).toEqual(keysBefore);

    // Nor does a file still queued for it (here a failed row of an earlier run, retried from the window):
    // the engine opens no upload session for a retired provider, and the file fails, saying why.
    await h.write('day/c.png', 'cccc');
    const ledger = Ledger.open(join(h.root, 'config', 'ledger.sqlite'));
    const c = (() => {
      try {
        return ledger.insert({ path: join(h.watchDir, 'day/c.png'), watchRoot: h.watchDir, relPath: 'day/c.png', size: 4, mtimeMs: 0, state: 'failed', providerId: PROVIDER_ID, lastError: 'earlier failure' });
      } finally {
        ledger.close();
      }
    })();
    expect(service.queue.retry(c.id)).toBe(true);
    await waitFor(() => service.log.row(c.id).state === 'failed' && service.log.row(c.id).lastError !== null, 20_000, 'c.png failed again');
    expect(service.log.row(c.id).lastError).toContain(`provider "${PROVIDER_ID}" is retired: it takes no new uploads`);
    expect(await h.keys()).toEqual(keysBefore);

    // Removing it again, forgetting: its rows go, the objects stay in the bucket.
    const after = await service.providers.remove(PROVIDER_ID, 'forget');
    expect(after.some((v) => v.id === PROVIDER_ID)).toBe(false);
    expect(service.log.list().filter((r) => r.providerId === PROVIDER_ID)).toEqual([]);
    expect((await h.object('results/day/a.png'))?.toString()).toBe('aaaa');
  });

  it('forget: the rows of every file it held are dropped, with their history', async () => {
    h = await createHarness(lab);
    service = await h.open();
    await h.write('x/one.png', '1');
    await h.write('x/two.png', '22');
    await service.start();
    const one = await offloaded('x/one.png');
    await offloaded('x/two.png');
    await service.storage.setActive('local');
    expect((await service.providers.list()).find((v) => v.id === PROVIDER_ID)?.filesHeld).toBe(2);

    const views = await service.providers.remove(PROVIDER_ID, 'forget');
    expect(views.some((v) => v.id === PROVIDER_ID)).toBe(false);
    expect(service.log.list().filter((r) => r.relPath.startsWith('x/'))).toEqual([]);
    expect(() => service.log.timeline(one.id)).toThrow(expect.objectContaining({ code: 'not-tracked' }));
    expect(service.status().counts.byState.offloaded ?? 0).toBe(0);
  });

  it('a retired provider in the settings file cannot be the active storage', async () => {
    h = await createHarness(lab);
    const text = await readFile(h.settingsFile, 'utf8');
    const settings = JSON.parse(text) as { providers: { id: string; retired?: boolean }[] };
    settings.providers.find((p) => p.id === PROVIDER_ID)!.retired = true;
    await writeFile(h.settingsFile, JSON.stringify(settings));
    await expect(loadSettings(h.settingsFile, { createIfMissing: false })).rejects.toMatchObject({ message: expect.stringContaining(`activeStorage: provider "${PROVIDER_ID}" is retired`) });
  });
});
