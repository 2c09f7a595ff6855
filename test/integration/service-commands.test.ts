/**
 * The commands the window drives, against each lab server with real files: deleting from the bucket
 * (refused when the bucket holds the only copy), switching storage (only to a ready provider), watch
 * folders (must exist, may not overlap; a new one is watched at once), removing providers, and the
 * log's pages and filters.
 */
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadService } from '../../src/core/service';
import { createHarness, PROVIDER_ID, waitFor, waitOffloaded, type Harness } from '../support/engine-harness';
import { labServers, type LabServer } from '../support/lab-servers';

describe.each(labServers)('service commands on $name', (server) => {
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

  it('deletes an object from the bucket when the local copy is there, and refuses when it is the only copy', async () => {
    h = await createHarness(lab);
    service = await h.open();
    await h.write('keep/a.png', 'aaaa');
    await h.write('keep/b.png', 'bbbb');
    await service.start();
    const a = await offloaded('keep/a.png');
    const b = await offloaded('keep/b.png');

    const seen: string[] = [];
    service.events.on('fileChanged', (row) => row.id === a.id && seen.push(row.state));
    const deleted = await service.log.deleteRemote(a.id);
    expect(deleted.state).toBe('remote-deleted');
    expect(seen).toEqual(['remote-deleted']); // the window and tray hear about it
    expect(await h.object('results/keep/a.png')).toBeNull();
    expect(service.log.timeline(a.id).at(-1)).toMatchObject({ state: 'remote-deleted', detail: expect.stringContaining('results/keep/a.png') });

    await unlink(join(h.watchDir, 'keep/b.png'));
    await expect(service.log.deleteRemote(b.id)).rejects.toMatchObject({ code: 'only-copy' });
    expect((await h.object('results/keep/b.png'))?.toString()).toBe('bbbb');
    await expect(service.log.deleteRemote(a.id)).rejects.toMatchObject({ code: 'not-offloaded' });
  });

  it('switches the default storage only to a ready provider, and a switch reaches the settings file', async () => {
    h = await createHarness(lab);
    service = await h.open();
    await service.providers.save({ id: 'half', type: 'minio', bucket: 'x' });
    await expect(service.storage.setActive('half')).rejects.toMatchObject({ code: 'provider-not-ready', message: expect.stringContaining('Provider "half" is not ready') });
    await expect(service.storage.setActive('ghost')).rejects.toMatchObject({ code: 'unknown-provider' });
    await service.storage.setActive('local');
    expect(service.settings.view().activeStorage).toBe('local');
    await expect(service.providers.remove('half')).resolves.toEqual(expect.not.arrayContaining([expect.objectContaining({ id: 'half' })]));
    await service.storage.setActive(PROVIDER_ID);
    await expect(service.providers.remove(PROVIDER_ID)).rejects.toMatchObject({ code: 'provider-active' });
  });

  it('adds a watch folder that is watched at once, and refuses missing or overlapping ones', async () => {
    h = await createHarness(lab);
    service = await h.open();
    await service.start();
    const extra = join(h.root, 'second');
    await mkdir(extra);
    await expect(service.watch.add({ path: join(h.root, 'nope') })).rejects.toMatchObject({ code: 'not-a-folder' });
    await expect(service.watch.add({ path: join(h.watchDir, 'inner') })).rejects.toMatchObject({ code: 'not-a-folder' });
    await mkdir(join(h.watchDir, 'inner'));
    await expect(service.watch.add({ path: join(h.watchDir, 'inner') })).rejects.toMatchObject({ code: 'nested-watch-folder' });
    await expect(service.watch.add({ path: h.root })).rejects.toMatchObject({ code: 'nested-watch-folder' });
    await service.watch.add({ path: extra });
    await writeFile(join(extra, 'late.png'), 'late');
    await offloaded('late.png');
    await service.watch.remove(extra);
    expect(service.settings.view().watchFolders.map((f) => f.path)).toEqual([h.watchDir]);
    await rm(extra, { recursive: true });
  });

  it('pages and filters the log with the right totals', async () => {
    h = await createHarness(lab);
    service = await h.open();
    for (let i = 0; i < 12; i++) await h.write(`set/${i % 2 ? 'odd' : 'even'}-${i}.png`, `file ${i}`);
    await service.start();
    await waitFor(() => service.status().counts.byState.offloaded === 12, 30_000, '12 files offloaded');
    const page = service.log.page({ search: 'odd-' }, 4, 0);
    expect(page.total).toBe(6);
    expect(page.rows).toHaveLength(4);
    expect(service.log.page({ search: 'odd-' }, 4, 4).rows).toHaveLength(2);
    expect(service.log.page({ states: ['failed'] }, 10, 0).total).toBe(0);
    expect(service.log.page({ since: Date.now() + 60_000 }, 10, 0).total).toBe(0);
    expect(service.log.page({ providerId: PROVIDER_ID, until: Date.now() }, 10, 0).total).toBe(12);
    const csv = service.log.export('csv', { search: 'even-' }).content.trimEnd().split('\r\n');
    expect(csv).toHaveLength(7);
  });
});
