/**
 * The window end to end (issue #7): the built renderer in headless Chromium, backed by a real
 * OffloadService — real settings file and ledger, the real OS keychain (npm test runs inside
 * with-keychain.sh), Ceph RGW as the bucket, real files in a watch folder. Only the transport differs
 * from Electron's IPC (test/support/renderer-bridge.ts).
 *
 * One story, in order: set up a MinIO-type provider through the form (green toast); break its secret
 * (red toast naming the cause); make it the default storage; add the watch folder; a file dropped while
 * the secret is wrong fails and stays local; fix the secret, retry from the log, and its link fetches
 * the same bytes; another file appears as offloaded; search, filter and export CSV. Each screen is saved
 * under test-output/screenshots/ (ignored by git), or refreshes docs/screenshots/ when
 * OFFLOAD_REFRESH_SCREENSHOTS=1 — so a test run leaves the working tree as it found it.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/engine-harness';
import type { LabServer } from '../support/lab-servers';
import type { TestPlatform } from '../support/test-platform';
import { dismissToasts as dismissAll, goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';


let session: WindowSession;
let lab: LabServer;
let watchDir: string;
let settingsFile: string;
let bucket: string;
let page: Page;
let platform: TestPlatform;
let problems: string[];
const providerId = `minio-${process.pid}`;

const settingsOnDisk = async () => JSON.parse(await readFile(settingsFile, 'utf8')) as { activeStorage: string; watchFolders: { path: string }[] };
const toast = (tone: 'success' | 'error' | 'warning') => page.getByTestId(`toast-${tone}`).last();
const go = (hash: string) => goTo(page, hash);
const dismissToasts = () => dismissAll(page);
/** Saves the screen (toasts cleared unless they are the point); see screenshotFile for where. */
const shot = async (name: string, keepToasts = false) => {
  if (!keepToasts) await dismissToasts();
  await page.screenshot({ path: screenshotFile(name) });
};
/** Controls without a label, and whether the page scrolls sideways: checked on every screen. */
const screenProblems = () =>
  page.evaluate(() => {
    const unlabelled = [...document.querySelectorAll('input, select, button, textarea')]
      .filter((el) => {
        const labelled = (el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
        return !labelled && !(el.textContent ?? '').trim();
      })
      .map((el) => el.outerHTML.slice(0, 80));
    return { unlabelled, overflowsSideways: document.documentElement.scrollWidth > window.innerWidth };
  });
const logRow = (name: string) => page.getByTestId('log-row').filter({ hasText: name });

beforeAll(async () => {
  session = await openWindowSession('window', { viewport: { width: 1100, height: 720 }, acceptDownloads: true });
  ({ lab, watchDir, settingsFile, bucket, page, platform, problems } = session);
});

afterAll(async () => {
  await session?.service.providers.deleteSecret(providerId).catch(() => false);
  await session?.close();
});

describe('the window, end to end', () => {
  it('shows the dashboard with nothing set up, and says what to do', async () => {
    await expect.poll(() => page.getByTestId('active-storage').textContent()).toContain('Local (this machine)');
    await expect.poll(() => page.getByText('Files stay on this machine').isVisible()).toBe(true);
    await shot('dashboard-empty');
  });

  it('sets up a MinIO-type provider through the form, validating as the user types, and the test shows a green toast', async () => {
    await go('#/providers');
    await page.getByRole('link', { name: 'Set up MinIO / other S3-compatible' }).click();
    const form = page.getByRole('form', { name: 'MinIO / other S3-compatible settings' });
    await form.getByLabel('Provider ID').fill(providerId);
    await form.getByLabel('Bucket').fill('Not_A_Bucket');
    await form.getByLabel('Access key ID').click();
    await expect.poll(() => form.getByText('Bucket names use lowercase letters, digits, dots and hyphens only').isVisible()).toBe(true);
    await form.getByLabel('Bucket').fill(bucket);
    expect(await form.getByText('Bucket names use lowercase').count()).toBe(0);
    await form.getByLabel('Access key ID').fill(lab.users.main.accessKeyId);
    await form.getByLabel('Secret access key').fill(lab.users.main.secretAccessKey);
    await form.getByLabel('Region').fill(lab.region);
    await form.getByLabel('Endpoint').fill(lab.endpoint);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => toast('success').textContent(), { timeout: 30_000 }).toContain('Connection works');
    await expect.poll(() => page.getByTestId(`status-${providerId}`).textContent()).toBe('ready');
    // The secret went to the keychain, never to the settings file or back to the page.
    const onDisk = await readFile(settingsFile, 'utf8');
    expect(onDisk).toContain(bucket);
    expect(onDisk).not.toContain(lab.users.main.secretAccessKey);
    expect(await page.getByLabel('Secret access key').inputValue()).toBe('');
    expect(await page.getByLabel('Secret access key').getAttribute('placeholder')).toBe('stored');
    await shot('provider-form', true);
  });

  it('breaking the secret gives a red toast naming the cause and the fix', async () => {
    await dismissToasts();
    const form = page.getByRole('form', { name: /settings$/ });
    await form.getByLabel('Secret access key').fill('this-is-not-the-secret');
    await form.getByRole('button', { name: 'Test connection' }).click();
    const red = toast('error');
    await expect.poll(() => red.textContent(), { timeout: 30_000 }).toContain('The secret does not match the key');
    expect(await red.textContent()).toContain('Fix: Re-enter the secret access key');
    await expect.poll(() => page.getByTestId(`status-${providerId}`).textContent()).toBe('error');
    await shot('provider-test-failed', true);
  });

  it('makes the provider the default storage; the settings file says so', async () => {
    await dismissToasts();
    await page.getByLabel('Default storage').selectOption(providerId);
    await expect.poll(async () => (await settingsOnDisk()).activeStorage).toBe(providerId);
    await expect.poll(() => page.getByTestId('active-storage').textContent()).toContain(providerId);
  });

  it('adds the watch folder through the folder picker', async () => {
    await go('#/watch');
    platform.nextFolder = watchDir;
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(() => page.getByTestId('picked-folder').textContent()).toBe(watchDir);
    await page.getByLabel('Also offload files already there').check();
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(async () => (await settingsOnDisk()).watchFolders.map((f) => f.path)).toEqual([watchDir]);
    await expect.poll(() => page.getByRole('cell', { name: watchDir, exact: true }).isVisible()).toBe(true);
    await shot('watch-folders');
  });

  const first = randomBytes(300_000);
  const second = randomBytes(120_000);

  it('a file dropped while the secret is wrong fails, stays local, and the dashboard says so', async () => {
    await writeFile(join(watchDir, 'shot-0001.png'), first);
    await go('#/log');
    await expect.poll(() => logRow('shot-0001.png').textContent(), { timeout: 30_000 }).toContain('failed');
    expect((await stat(join(watchDir, 'shot-0001.png'))).size).toBe(first.length);
    await go('#/');
    await expect.poll(() => page.getByTestId('failed-banner').textContent()).toContain('1 file was not offloaded');
  });

  it('after fixing the secret, Retry in the log offloads it, and its link fetches the same bytes', async () => {
    await dismissToasts();
    await go(`#/providers/${providerId}`);
    const form = page.getByRole('form', { name: /settings$/ });
    await form.getByLabel('Secret access key').fill(lab.users.main.secretAccessKey);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => toast('success').textContent()).toContain('Saved');

    await go('#/log');
    await logRow('shot-0001.png').click();
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.getByTestId('detail-state').textContent(), { timeout: 30_000 }).toBe('offloaded');
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect.poll(() => platform.copied.length).toBe(1);
    const body = Buffer.from(await (await fetch(platform.copied[0]!)).arrayBuffer());
    expect(sha256(body)).toBe(sha256(first));
    await expect.poll(() => page.getByRole('list', { name: 'Timeline' }).textContent()).toMatch(/failed.*queued.*offloaded/);
    await expect.poll(() => logRow('shot-0001.png').textContent()).toContain('offloaded');
    await shot('log-details');
  });

  it('a new file dropped into the watch folder appears in the log as offloaded, with a working presigned link', async () => {
    await writeFile(join(watchDir, 'take-0002.mp4'), second);
    await expect.poll(() => logRow('take-0002.mp4').textContent(), { timeout: 30_000 }).toContain('offloaded');
    await logRow('take-0002.mp4').click();
    await page.getByLabel('Presigned for').selectOption('86400');
    await page.getByRole('button', { name: 'Copy presigned link' }).click();
    await expect.poll(() => platform.copied.length).toBe(2);
    expect(platform.copied[1]).toContain('X-Amz-Expires=86400');
    expect(sha256(Buffer.from(await (await fetch(platform.copied[1]!)).arrayBuffer()))).toBe(sha256(second));
  });

  it('searches and filters the log', async () => {
    const total = page.getByTestId('log-total');
    await expect.poll(() => total.textContent()).toBe('2 files');
    await page.getByPlaceholder('Search by name').fill('take-');
    await expect.poll(() => total.textContent()).toBe('1 file');
    expect(await page.getByTestId('log-row').allTextContents()).toEqual([expect.stringContaining('take-0002.mp4')]);
    await page.getByPlaceholder('Search by name').fill('');
    await page.getByLabel('State').selectOption('failed');
    await expect.poll(() => total.textContent()).toBe('0 files');
    await page.getByLabel('State').selectOption('offloaded');
    await expect.poll(() => total.textContent()).toBe('2 files');
    await page.getByLabel('Changed').selectOption('24h');
    await expect.poll(() => total.textContent()).toBe('2 files');
  });

  it('exports the log as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^offload-log-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,path,relative_path,state,/);
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).map((l) => l.split(',')[2]).sort()).toEqual(['shot-0001.png', 'take-0002.mp4']);
    await shot('log');
  });

  it('shows current counts on the dashboard, and the General screen', async () => {
    await go('#/');
    await expect.poll(() => page.getByTestId('queue-counts').textContent()).toContain('Offloaded2');
    await shot('dashboard');
    await go('#/general');
    await expect.poll(() => page.getByLabel('Parallel uploads').inputValue()).toBe('4');
    await page.getByLabel('Parallel uploads').fill('40');
    await expect.poll(() => page.getByText('Parallel uploads: a whole number from 1 to 32').isVisible()).toBe(true);
    await page.getByLabel('Parallel uploads').fill('6');
    // The schedule is checked as typed by the settings file's own parser, which names the bad entry.
    await page.getByLabel('Bandwidth schedule').fill('08:00,2M 25:00,off');
    await expect.poll(() => page.getByText('Bandwidth schedule: "25:00,off": "25:00" is not a time').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save upload settings' }).isDisabled()).toBe(true);
    await page.getByLabel('Bandwidth schedule').fill('08:00,1G 19:00,off');
    // The test platform has no NetworkManager: the setting says it cannot work here.
    await expect.poll(() => page.getByText('Not available on this computer: NetworkManager is not running.').isVisible()).toBe(true);
    await page.getByLabel('Pause on a metered connection').check();
    await page.getByRole('button', { name: 'Save upload settings' }).click();
    await expect.poll(async () => JSON.parse(await readFile(settingsFile, 'utf8')).upload.concurrency).toBe(6);
    expect(JSON.parse(await readFile(settingsFile, 'utf8')).upload).toMatchObject({ bandwidthSchedule: '08:00,1G 19:00,off', pauseOnMetered: true, pauseOnBattery: false });
    await shot('general');
  });

  it('deletes a file from the bucket after confirming; the local copy stays', async () => {
    await go('#/log');
    await logRow('take-0002.mp4').click();
    await page.getByRole('button', { name: 'Delete from bucket…' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm deletion' });
    expect(await confirm.textContent()).toContain('Delete take-0002.mp4 from the bucket? The local copy stays.');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByTestId('detail-state').textContent()).toBe('remote-deleted');
    expect(await lab.client().send(new HeadObjectCommand({ Bucket: bucket, Key: 'take-0002.mp4' })).catch((e: { name: string }) => e.name)).toBe('NotFound');
    expect((await stat(join(watchDir, 'take-0002.mp4'))).size).toBe(second.length);
  });

  it('labels every control and fits 900×600 without sideways scrolling, on every screen', async () => {
    await page.setViewportSize({ width: 900, height: 600 });
    for (const hash of ['#/', '#/providers', `#/providers/${providerId}`, '#/providers/+r2', '#/watch', '#/log', '#/general']) {
      await go(hash);
      await page.waitForTimeout(150);
      expect({ hash, ...(await screenProblems()) }).toEqual({ hash, unlabelled: [], overflowsSideways: false });
    }
    await go('#/log');
    await logRow('shot-0001.png').click();
    expect(await screenProblems()).toEqual({ unlabelled: [], overflowsSideways: false });
    await shot('log-900x600');
    await page.setViewportSize({ width: 1100, height: 720 });
  });

  it('follows the system theme: dark when the system is dark', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await go('#/');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(light).toBe('rgb(247, 247, 248)');
    expect(dark).toBe('rgb(27, 27, 29)');
    await shot('dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('reaches the sections from the keyboard', async () => {
    await go('#/');
    await page.reload(); // focus starts at the top of the document
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const reached: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.textContent ?? ''));
    }
    expect(reached).toEqual(['Dashboard', 'Gallery', 'Storage providers', 'Watch folders', 'Offload log', 'General']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 2 }).textContent()).toBe('Offload log');
  });

  it('logged no errors in the page', () => {
    expect(problems).toEqual([]);
  });
});
