/**
 * Issue #15 in the window: the settings file is edited outside the app (by the `offload` command or an
 * editor). A valid edit shows up in the window; an invalid one keeps the last good settings and raises a
 * dashboard banner naming the field and the fix, which goes away once the file is fixed. The banner is
 * saved as a screenshot (screenshotFile: test-output/, or docs/screenshots/ when refreshing).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

let session: WindowSession;

describe('the settings file edited outside the app', () => {
  beforeAll(async () => {
    session = await openWindowSession('banner', { viewport: { width: 1100, height: 720 } });
    session.service.followSettingsFile();
  });
  afterAll(async () => session?.close());

  it('shows a valid edit, and a banner naming the field for an invalid one, until it is fixed', async () => {
    const { page, settingsFile } = session;
    await goTo(page, '#/');
    const good = JSON.parse(await readFile(settingsFile, 'utf8')) as { paused?: boolean; upload: Record<string, unknown> };

    await writeFile(settingsFile, JSON.stringify({ ...good, paused: true })); // what `offload pause` writes
    await expect.poll(() => page.getByText('Offloading is paused').count(), { timeout: 10_000 }).toBe(1);

    await writeFile(settingsFile, JSON.stringify({ ...good, paused: true, upload: { ...good.upload, concurrency: 0 } }));
    const banner = page.getByRole('alert').filter({ hasText: 'upload.concurrency' });
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(1);
    expect(await banner.innerText()).toMatch(/the last good settings stay in use until it is fixed\s+Fix: Correct upload\.concurrency in .*settings\.json/);
    expect(session.service.settings.current.upload.concurrency).not.toBe(0);
    await page.screenshot({ path: screenshotFile('settings-invalid-banner') });

    await writeFile(settingsFile, JSON.stringify({ ...good, paused: false }));
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByText('Offloading is paused').count(), { timeout: 10_000 }).toBe(0);
    expect(session.problems).toEqual([]);
  });
});
