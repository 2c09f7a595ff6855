/**
 * The whole app through Playwright's Electron support. Runs wherever the Electron binary exists; on a
 * machine that cannot download it, every test here is skipped with the reason printed.
 *
 * The app runs with its own profile (OFFLOAD_USER_DATA) holding a settings file with one ready MinIO-type
 * provider (credentials from the environment store). It is the test build (test/support/build-test-app.ts,
 * out-test-hooks/), run with OFFLOAD_TEST_HOOKS=1 so the tray menu — which Playwright cannot click — can be
 * driven through the same actions its items run; the production bundle in out/ has no such hooks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listChannels } from '../../src/shared/ipc/channels';
import { TEST_APP_MAIN } from '../support/build-test-app';
import { electronBinary } from '../support/electron-binary';

const binary = electronBinary();
if ('missing' in binary) console.warn(`skipping Electron app tests: ${binary.missing}`);

interface TestHooks {
  trayMenu(): { id?: string; kind: string; submenu?: unknown[]; action?: unknown }[];
  runTrayAction(action: unknown): void;
}

describe.skipIf('missing' in binary)('Electron app', () => {
  let app: ElectronApplication;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'offload-electron-'));
    const settings = {
      watchFolders: [],
      activeStorage: 'local',
      providers: [{ id: 'studio', type: 'minio', bucket: 'renders', endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }],
    };
    await writeFile(join(profile, 'settings.json'), JSON.stringify(settings));
    app = await electron.launch({
      executablePath: 'path' in binary ? binary.path : '',
      args: [TEST_APP_MAIN],
      env: {
        ...process.env,
        OFFLOAD_USER_DATA: profile,
        OFFLOAD_TEST_HOOKS: '1',
        OFFLOAD_STUDIO_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        OFFLOAD_STUDIO_SECRET_ACCESS_KEY: 'not-a-real-secret',
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('launches and shows the window with the app title over app://', async () => {
    const window = await app.firstWindow();
    await expect.poll(() => window.title()).toBe('Offload Companion');
    expect(new URL(window.url()).protocol).toBe('app:');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible())).toBe(true);
  });

  it('gives the renderer no require, no process and no raw IPC — only the named API', async () => {
    const window = await app.firstWindow();
    const globals = await window.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
      api: Object.keys((window as unknown as { offload: object }).offload).sort(),
    }));
    const groups = [...new Set(listChannels().map((c) => c.group)), 'events'].sort();
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', api: groups });
  });

  it('switching the active storage from the tray menu reaches the settings file', async () => {
    await expect.poll(() => app.evaluate(() => (globalThis as unknown as { __offloadTest: TestHooks }).__offloadTest.trayMenu().length)).toBeGreaterThan(0);
    await app.evaluate(() => {
      const hooks = (globalThis as unknown as { __offloadTest: TestHooks }).__offloadTest;
      const storage = hooks.trayMenu().find((e) => e.id === 'storage') as { submenu: { id: string; action: unknown }[] };
      const studio = storage.submenu.find((e) => e.id === 'storage:studio');
      if (!studio) throw new Error('the tray lists no ready provider "studio"');
      hooks.runTrayAction(studio.action);
    });
    await expect.poll(async () => JSON.parse(await readFile(join(profile, 'settings.json'), 'utf8')).activeStorage).toBe('studio');
  });

  it('keeps a pause from the tray across a storage switch (issue #15: pause is a setting)', async () => {
    const settingsOnDisk = async () => JSON.parse(await readFile(join(profile, 'settings.json'), 'utf8')) as { paused?: boolean; activeStorage: string };
    await app.evaluate(() => (globalThis as unknown as { __offloadTest: TestHooks }).__offloadTest.runTrayAction({ type: 'pause' }));
    await expect.poll(async () => (await settingsOnDisk()).paused).toBe(true);
    await app.evaluate(() => (globalThis as unknown as { __offloadTest: TestHooks }).__offloadTest.runTrayAction({ type: 'set-active-storage', id: 'local' }));
    await expect.poll(async () => (await settingsOnDisk()).activeStorage).toBe('local');
    expect((await settingsOnDisk()).paused).toBe(true);
    const window = await app.firstWindow();
    await expect.poll(() => window.getByText('Offloading is paused').count()).toBe(1);
    await app.evaluate(() => (globalThis as unknown as { __offloadTest: TestHooks }).__offloadTest.runTrayAction({ type: 'resume' }));
    await expect.poll(async () => (await settingsOnDisk()).paused).toBe(false);
  });

  it('shows a banner naming the field when the settings file is edited into something invalid (issue #15)', async () => {
    const file = join(profile, 'settings.json');
    const good = await readFile(file, 'utf8');
    const parsed = JSON.parse(good) as { upload?: Record<string, unknown> };
    await writeFile(file, JSON.stringify({ ...parsed, upload: { ...parsed.upload, concurrency: 0 } }));
    const page = await app.firstWindow();
    await page.evaluate(() => (window.location.hash = '#/'));
    const banner = page.getByRole('alert').filter({ hasText: 'upload.concurrency' });
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    await writeFile(file, good);
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
  });

  it('refuses navigation away from the app and new windows', async () => {
    const page = await app.firstWindow();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(new URL(page.url()).protocol).toBe('app:');
    await page.evaluate(() => window.open('https://example.com/'));
    expect(app.windows()).toHaveLength(1);
  });
});
