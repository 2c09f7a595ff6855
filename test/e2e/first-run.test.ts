/**
 * The first-run setup end to end (issue #18): a new install's profile (an empty settings file, an empty
 * log) in headless Chromium, backed by a real OffloadService, the real OS keychain and Ceph RGW. The
 * window opens on the setup instead of the dashboard; the user picks a provider (its help and console
 * links showing), enters the bucket and key, fails a connection test with a wrong secret — which saves
 * nothing — leaves with "Set up later", restarts the window, comes back through "Finish setup" to the
 * same step with what they typed (but the secret), passes the test (now saved, and the default
 * storage), picks the results folder in the folder picker (the TestPlatform answers it) with "also
 * offload files already there", turns on copying the link, finishes on the gallery, and sees the first
 * files arrive there offloaded.
 * Each step is saved as a screenshot (test/support/window-session.ts `screenshotFile`).
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/engine-harness';
import type { LabServer } from '../support/lab-servers';
import type { TestPlatform } from '../support/test-platform';
import { dismissToasts, goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

/** The id the setup gives the first provider of a type (features/providers/draft.ts newDraft). */
const providerId = 'minio';
const minioLabel = 'MinIO / other S3-compatible';

let session: WindowSession;
let lab: LabServer;
let page: Page;
let platform: TestPlatform;

interface SettingsOnDisk {
  activeStorage?: string;
  providers?: { id: string; bucket: string }[];
  watchFolders?: { path: string; offloadExisting: boolean }[];
  upload?: { afterUpload?: { copyLink: boolean } };
  retention?: { rightAway: boolean; afterDays: number | null; lowSpace: unknown };
}
const settingsOnDisk = async (): Promise<SettingsOnDisk> =>
  JSON.parse(await readFile(session.settingsFile, 'utf8')) as SettingsOnDisk;
const hash = () => page.evaluate(() => window.location.hash);
/** Opens the window afresh as the app starts it: the page, with no screen named in the address. */
const restart = () => page.goto(page.url().split('#')[0]!);
const toast = (tone: 'success' | 'error' | 'warning') => page.getByTestId(`toast-${tone}`).last();
const bucketForm = () => page.getByRole('form', { name: `${minioLabel} bucket and key` });
const galleryTile = (name: string) => page.getByTestId('gallery-tile').filter({ hasText: name });
/** Saves the screen (toasts cleared unless they are the point). */
const shot = async (name: string, keepToasts = false) => {
  if (!keepToasts) await dismissToasts(page);
  await page.screenshot({ path: screenshotFile(name) });
};

const already = randomBytes(90_000);
const first = randomBytes(250_000);

/** Requests the page made that failed, other than the gallery's pictures (media/thumb, media/preview). */
const failedLoads: string[] = [];

beforeAll(async () => {
  session = await openWindowSession('first-run', { viewport: { width: 1100, height: 720 } }, { newInstall: true });
  ({ lab, page, platform } = session);
  page.on('response', (r) => {
    if (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/media/')) failedLoads.push(`${r.status()} ${r.url()}`);
  });
});

afterAll(async () => {
  await session?.service.providers.deleteSecret(providerId).catch(() => false);
  await session?.close();
});

describe('first-run setup, end to end', () => {
  it('a new install opens on the setup, not on the empty dashboard', async () => {
    await expect.poll(hash).toBe('#/setup/provider');
    await page.getByRole('heading', { name: 'Set up Offload Companion' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Setup steps' }).textContent()).toBe(
      '1. Storage2. Bucket and key3. Results folder4. After upload',
    );
    // Nothing chosen yet: Next waits for a provider.
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  });

  it("shows the chosen provider's help with links to its console, opened in the browser through main", async () => {
    await page.getByRole('button', { name: 'Cloudflare R2', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Cloudflare R2', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const help = page.getByRole('region', { name: 'About Cloudflare R2' });
    expect(await help.textContent()).toContain('R2 API token');
    await help.getByRole('link', { name: 'Create a bucket at Cloudflare R2' }).click();
    await expect.poll(() => platform.opened).toEqual(['https://dash.cloudflare.com/?to=/:account/r2/new']);
    expect(await hash()).toBe('#/setup/provider'); // the window itself went nowhere
    await shot('first-run-provider');

    await page.getByRole('button', { name: minioLabel, exact: true }).click();
    expect(await page.getByRole('region', { name: `About ${minioLabel}` }).textContent()).toContain('endpoint URL');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(hash).toBe('#/setup/bucket');
  });

  it('a failed connection test shows the red toast with its cause and fix, and saves nothing', async () => {
    const form = bucketForm();
    await form.getByLabel('Bucket').fill('Not_A_Bucket');
    await form.getByLabel('Access key ID').click();
    await expect
      .poll(() => form.getByText('Bucket names use lowercase letters, digits, dots and hyphens only').isVisible())
      .toBe(true);
    await form.getByLabel('Bucket').fill(session.bucket);
    await form.getByLabel('Access key ID').fill(lab.users.main.accessKeyId);
    await form.getByLabel('Secret access key').fill('this-is-not-the-secret');
    await form.getByLabel('Region').fill(lab.region);
    await form.getByLabel('Endpoint').fill(lab.endpoint);
    await form.getByRole('button', { name: 'Test connection' }).click();
    const red = toast('error');
    await expect.poll(() => red.textContent(), { timeout: 30_000 }).toContain('The secret does not match the key');
    expect(await red.textContent()).toContain('Fix: ');
    // Tested and failed: the provider is gone again, with its secret; Local is still the storage.
    expect(await settingsOnDisk()).toMatchObject({ providers: [], activeStorage: 'local' });
    expect(await session.service.providers.list()).toEqual([]);
    expect(await session.service.providers.deleteSecret(providerId)).toBe(false);
    await shot('first-run-bucket-failed', true);
  });

  it('"Set up later" lands on the dashboard; after a restart it still does, offering "Finish setup"', async () => {
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Set up later' }).click();
    await expect.poll(hash).toBe('#/');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await restart();
    await page.getByRole('link', { name: 'Finish setup' }).waitFor();
    expect(await hash()).toBe('');
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Dashboard');
    expect(await settingsOnDisk()).toMatchObject({ providers: [], watchFolders: [], activeStorage: 'local' });
  });

  it('"Finish setup" resumes at the same step with what was typed, except the secret', async () => {
    await page.getByRole('link', { name: 'Finish setup' }).click();
    await expect.poll(hash).toBe('#/setup/bucket');
    const form = bucketForm();
    expect(await form.getByLabel('Bucket').inputValue()).toBe(session.bucket);
    expect(await form.getByLabel('Access key ID').inputValue()).toBe(lab.users.main.accessKeyId);
    expect(await form.getByLabel('Region').inputValue()).toBe(lab.region);
    expect(await form.getByLabel('Endpoint').inputValue()).toBe(lab.endpoint);
    expect(await form.getByLabel('Secret access key').inputValue()).toBe('');
    // The later steps cannot be reached before the provider is saved.
    await goTo(page, '#/setup/after-upload');
    await expect.poll(hash).toBe('#/setup/bucket');
  });

  it('a passing test saves the provider (secret in the keychain only) and makes it the default storage', async () => {
    const form = bucketForm();
    await form.getByLabel('Secret access key').fill(lab.users.main.secretAccessKey);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => toast('success').textContent(), { timeout: 30_000 }).toContain('Connection works');
    await expect.poll(() => page.getByText('is saved and tested, and is now the default storage').isVisible()).toBe(true);
    expect(await settingsOnDisk()).toMatchObject({
      activeStorage: providerId,
      providers: [{ id: providerId, bucket: session.bucket }],
    });
    expect(await readFile(session.settingsFile, 'utf8')).not.toContain(lab.users.main.secretAccessKey);
    await expect.poll(() => page.getByTestId('active-storage').textContent()).toContain(minioLabel);
    await shot('first-run-bucket', true);
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(hash).toBe('#/setup/folder');
  });

  it('picks the results folder in the folder picker, offloading what is already there', async () => {
    await writeFile(join(session.watchDir, 'already-there.png'), already);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    platform.nextFolder = session.watchDir;
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect.poll(() => page.getByTestId('picked-folder').textContent()).toBe(session.watchDir);
    await page.getByLabel('Also offload files already there').check();
    await shot('first-run-folder');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await expect
      .poll(async () => (await settingsOnDisk()).watchFolders)
      .toEqual([expect.objectContaining({ path: session.watchDir, offloadExisting: true })]);
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(hash).toBe('#/setup/after-upload');
  });

  it('turns on copying the link after each upload, keeps local copies, and Finish ends on the gallery', async () => {
    await page.getByLabel('Copy the link after each upload').check();
    // Where the copy on this computer goes (the local copies policy, issue #19): kept, unless chosen otherwise.
    const local = page.getByLabel('Once a file is offloaded and verified');
    expect(await local.locator('option:checked').textContent()).toBe('Keep its copy on this computer');
    expect(await local.locator('option').allTextContents()).toEqual(['Keep its copy on this computer', 'Remove its copy on this computer (the bucket keeps it)']);
    await shot('first-run-after-upload');
    await page.getByRole('button', { name: 'Finish' }).click();
    await expect.poll(() => toast('success').textContent()).toContain('Setup finished');
    expect(await toast('success').textContent()).toContain('Local copies leave: never (every local copy is kept).');
    await expect.poll(hash).toBe('#/gallery');
    await page.getByRole('heading', { name: 'Gallery' }).waitFor();
    const saved = await settingsOnDisk();
    expect(saved.upload?.afterUpload?.copyLink).toBe(true);
    expect(saved.retention ?? { rightAway: false, afterDays: null, lowSpace: null }).toMatchObject({ rightAway: false, afterDays: null, lowSpace: null });
    // Nothing that removes files was saved, so main's dialog was never asked.
    expect(platform.confirmations).toEqual([]);
  });

  it('the first files arrive in the gallery: a new file and the one already there, offloaded byte for byte', async () => {
    await writeFile(join(session.watchDir, 'shot-0001.png'), first);
    await expect.poll(() => galleryTile('shot-0001.png').textContent(), { timeout: 30_000 }).toContain('Offloaded');
    await expect.poll(() => galleryTile('already-there.png').textContent(), { timeout: 30_000 }).toContain('Offloaded');
    await shot('first-run-done');
    for (const [key, bytes] of [
      ['shot-0001.png', first],
      ['already-there.png', already],
    ] as const) {
      const object = await lab.client().send(new GetObjectCommand({ Bucket: session.bucket, Key: key }));
      expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(bytes));
    }
  });

  it('once finished, a restart no longer opens on the setup, and the dashboard no longer offers it', async () => {
    await restart();
    // The storage in the header means the window's data is in, which is when the landing is decided.
    await expect.poll(() => page.getByTestId('active-storage').textContent()).toContain(minioLabel);
    expect(await hash()).not.toMatch(/^#\/setup/);
    expect(await page.getByRole('heading', { name: 'Set up Offload Companion' }).count()).toBe(0);
    await goTo(page, '#/');
    await expect.poll(() => page.getByTestId('queue-counts').textContent()).toContain('Offloaded2');
    expect(await page.getByRole('link', { name: 'Finish setup' }).count()).toBe(0);
  });

  it('logged no errors in the page', () => {
    // A picture the gallery cannot have yet (not made, or no media route in this session) shows its
    // placeholder, and Chromium logs the 404 without its address: those are told apart by the responses.
    expect(failedLoads).toEqual([]);
    expect(
      session.problems.filter((p) => p !== 'Failed to load resource: the server responded with a status of 404 (Not Found)'),
    ).toEqual([]);
  });
});
