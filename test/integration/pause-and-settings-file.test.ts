/**
 * Issue #15 on the service, against the lab: the user's pause is a setting that survives an engine
 * restart, a settings change and a storage switch; outside edits of the settings file reach a running
 * service, and an invalid one keeps the last good settings and raises a banner naming the field.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadService } from '../../src/core/service';
import { createHarness, waitFor, type Harness } from '../support/engine-harness';
import { expectInvariantsThenCleanup } from '../support/invariants';
import { labServers, type LabServer } from '../support/lab-servers';

const rgw = labServers.find((s) => s.name === 'ceph-rgw')!;
let lab: LabServer;
let h: Harness;

/** Waits until the file's row reaches `state` (bounded). */
const reaches = (service: OffloadService, path: string, state: string) => waitFor(() => service.log.latestForPath(path)?.state === state, 15_000, `${path} ${state}`);

describe('pause and the settings file (ceph-rgw)', () => {
  beforeAll(async () => {
    lab = await rgw.start();
  });
  afterAll(async () => lab?.stop());
  afterEach(() => expectInvariantsThenCleanup(h));

  it('keeps the pause across a storage switch, a settings change and a restart, and offloads on resume', async () => {
    h = await createHarness(lab);
    await h.configure({ upload: { settleMs: 100 } });
    let service = await h.open();
    await service.start();
    await service.queue.pause();
    expect(service.status().engine).toMatchObject({ paused: true, pauseReasons: ['user'] });

    await service.storage.setActive('local');
    await service.storage.setActive('studio-bucket'); // each switch restarts the engine
    await service.settings.saveUpload({ settleMs: 150 }); // so does a new settle window
    expect(service.status().engine).toMatchObject({ paused: true, pauseReasons: ['user'] });
    const path = await h.write('held.png', 'wait for resume');
    await reaches(service, path, 'queued');
    await new Promise((r) => setTimeout(r, 500));
    expect(service.log.latestForPath(path)?.state).toBe('queued');
    await service.close();

    service = await h.open();
    expect(service.status().pauseReasons).toEqual(['user']);
    await service.start();
    expect(service.status().engine).toMatchObject({ paused: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.keys()).toEqual([]);
    await service.queue.resume();
    await reaches(service, path, 'offloaded');
    expect(await h.keys()).toEqual(['results/held.png']);
  });

  it('applies an outside edit to a running service, and keeps the last good settings on an invalid one', async () => {
    h = await createHarness(lab);
    const service = await h.open();
    service.followSettingsFile();
    await service.start();
    const notices: string[] = [];
    service.events.on('notice', (n) => notices.push(`${n.code}: ${n.message}`));

    await h.configure({ upload: { concurrency: 7 } }); // as the command or an editor would write it
    await waitFor(() => service.settings.current.upload.concurrency === 7, 5_000, 'the edit is applied');

    // An outside `offload pause` is the same kind of edit.
    await h.configure({ upload: { concurrency: 7 } });
    const onDisk = JSON.parse(JSON.stringify(h.settings)) as Record<string, unknown>;
    await writeFile(h.settingsFile, JSON.stringify({ ...onDisk, paused: true }));
    await waitFor(() => service.status().engine?.paused === true, 5_000, 'the pause reaches the engine');

    await writeFile(h.settingsFile, JSON.stringify({ ...onDisk, upload: { ...h.settings.upload, concurrency: 0 } }));
    await waitFor(() => service.status().problems.length > 0, 5_000, 'the banner is raised');
    expect(service.status().problems[0]).toMatchObject({ code: 'settings-invalid', message: expect.stringContaining('upload.concurrency') });
    expect(service.status().problems[0]?.fix).toMatch(/Correct upload\.concurrency/);
    expect(notices.some((n) => n.startsWith('settings-invalid'))).toBe(true);
    expect(service.settings.current.upload.concurrency).toBe(7); // the last good settings
    expect(service.settings.current.paused).toBe(true);

    await writeFile(h.settingsFile, JSON.stringify({ ...onDisk, paused: false }));
    await waitFor(() => service.status().problems.length === 0 && service.status().engine?.paused === false, 5_000, 'fixed: banner gone, resumed');
  });
});
