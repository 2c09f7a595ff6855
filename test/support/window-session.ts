/**
 * The e2e window's setting, shared by the tests that drive it (window.test.ts, accessibility.test.ts):
 * Ceph RGW with a fresh bucket, a temp watch folder and settings file, a real OffloadService (real
 * ledger, the real OS keychain inside with-keychain.sh), and the built renderer in Chromium bridged to
 * that service. Each test file opens its own session, so they can run in parallel.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { OffloadService } from '../../src/core/service';
import { launchChromium } from './chromium';
import { uniqueBucket, type LabServer, startLab } from './lab-servers';
import { bridgeApi, serveRenderer } from './renderer-bridge';
import { TestPlatform } from './test-platform';

export interface WindowSession {
  lab: LabServer;
  bucket: string;
  root: string;
  watchDir: string;
  settingsFile: string;
  service: OffloadService;
  browser: Browser;
  page: Page;
  platform: TestPlatform;
  /** Errors the page logged or threw; a test asserts it stays empty. */
  problems: string[];
  /** Closes the browser, the server, the service and the lab, and removes the temp folder. */
  close(): Promise<void>;
}

/**
 * Opens the session with the renderer loaded. `context` is the browser context's options (viewport,
 * downloads, CSP bypass for an injected checker); `name` prefixes the bucket and the temp folder.
 * `newInstall`: the settings file is a new install's (`{}`: no tuned settle or retries), so the window
 * opens on the first-run setup (src/renderer/src/features/first-run/landing.ts).
 */
export async function openWindowSession(name: string, context: BrowserContextOptions, options: { newInstall?: boolean } = {}): Promise<WindowSession> {
  // What is open so far, undone in reverse by close() — or at once when a later step fails.
  const undo: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const lab = await startLab('ceph-rgw');
    undo.push(() => lab.stop());
    const bucket = uniqueBucket(name);
    await lab.createBucket(bucket);
    const root = await mkdtemp(join(tmpdir(), `offload-${name}-`));
    undo.push(() => rm(root, { recursive: true, force: true }));
    const watchDir = join(root, 'results');
    await mkdir(watchDir);
    const settingsFile = join(root, 'config', 'settings.json');
    await mkdir(join(root, 'config'));
    // Quick settle and few, fast retries, so a failure reaches the log in a second, not minutes.
    await writeFile(settingsFile, JSON.stringify(options.newInstall ? {} : { upload: { settleMs: 300, retryBaseMs: 50, maxAttempts: 2 } }));
    const service = await OffloadService.open({ settingsFile });
    undo.push(() => service.close());
    await service.start();
    const site = await serveRenderer(service);
    undo.push(() => site.close());
    const browser = await launchChromium();
    undo.push(() => browser.close());
    const page = await (await browser.newContext(context)).newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const platform = new TestPlatform();
    const unbridge = await bridgeApi(page, service, platform);
    undo.push(async () => unbridge());
    await page.goto(site.url);
    return { lab, bucket, root, watchDir, settingsFile, service, browser, page, platform, problems, close };
  } catch (error) {
    await close().catch(() => undefined); // the first failure is the one worth reading
    throw error;
  }
}

/** Moves the window to a screen, as a click on a link to `hash` would. */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), hash);
}

/** Closes every toast showing; bounded by the toasts on screen (the window keeps at most five). */
export async function dismissToasts(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Dismiss' });
  for (let i = 0; i < 10 && (await close.count()) > 0; i++) await close.first().click();
}

/**
 * Where a screenshot of the window goes: test-output/screenshots/ (ignored by git), or docs/screenshots/
 * when refreshing them (OFFLOAD_REFRESH_SCREENSHOTS=1), so a test run leaves the working tree as it was.
 */
export function screenshotFile(name: string): string {
  return join(import.meta.dirname, '../..', process.env.OFFLOAD_REFRESH_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-output/screenshots', `${name}.png`);
}
