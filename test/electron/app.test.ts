/**
 * The whole app through Playwright's Electron support. Runs wherever the Electron binary exists; on a
 * machine that cannot download it, every test here is skipped with the reason printed.
 */
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../support/electron-binary';

const binary = electronBinary();
if ('missing' in binary) console.warn(`skipping Electron app tests: ${binary.missing}`);

describe.skipIf('missing' in binary)('Electron app', () => {
  let app: ElectronApplication;
  beforeAll(async () => {
    app = await electron.launch({ executablePath: 'path' in binary ? binary.path : '', args: ['out/main/index.js'] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('launches and shows the window with the app title', async () => {
    const window = await app.firstWindow();
    await expect.poll(() => window.title()).toBe('Offload Companion');
    expect(new URL(window.url()).protocol).toBe('app:');
  });

  it('gives the renderer no require, no process and no raw IPC', async () => {
    const window = await app.firstWindow();
    const globals = await window.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
      api: Object.keys((window as unknown as { offload: object }).offload),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', api: ['app'] });
  });
});
