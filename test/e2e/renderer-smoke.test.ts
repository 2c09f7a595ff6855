/**
 * The built renderer in real Chromium, talking to a real OffloadService through the contract-built
 * bridge: it boots under its strict CSP, calls the API, and shows what the service answered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OffloadService } from '../../src/core/service';
import { listChannels } from '../../src/shared/ipc/channels';
import { launchChromium } from '../support/chromium';
import { MemorySecretStore } from '../support/memory-secrets';
import { bridgeApi, serveRenderer } from '../support/renderer-bridge';

let browser: Browser;
let site: Awaited<ReturnType<typeof serveRenderer>>;
let dataDir: string;
let service: OffloadService;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'offload-e2e-'));
  service = await OffloadService.open({ settingsFile: join(dataDir, 'settings.json'), createIfMissing: true, secrets: new MemorySecretStore() });
  [browser, site] = await Promise.all([launchChromium(), serveRenderer()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await service?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function openApp(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await bridgeApi(page, service);
  await page.goto(site.url);
  return { page, problems };
}

describe('renderer smoke', () => {
  it('boots under its CSP and shows what the service answers', async () => {
    const { page, problems } = await openApp();
    await expect.poll(() => page.getByTestId('active-storage').textContent()).toContain('Local (this machine)');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Offload Companion');
    expect(await page.getByLabel('version').textContent()).toBe('v0.0.0-test');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('has no Node and no raw IPC in the page, only the named API', async () => {
    const { page } = await openApp();
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
      api: Object.keys(window.offload).sort(),
    }));
    const groups = [...new Set(listChannels().map((c) => c.group)), 'events'].sort();
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', api: groups });
    await page.close();
  });

  it('refuses inline script injected into the page (CSP)', async () => {
    const { page } = await openApp();
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await page.close();
  });
});
