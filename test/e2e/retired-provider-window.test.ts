/**
 * Storages that leave (issue #14), in the window (Chromium over the real command table): removing a
 * provider that still holds a file asks what becomes of it; "Keep their record" retires the provider —
 * it leaves the default-storage list, its screen turns read-only — and the file's link still copies
 * (the TestPlatform records it) and opens (fetched here: the same bytes).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/engine-harness';
import { closeLabSession, offloadToLab } from '../support/lab-provider';
import { dismissToasts, goTo, openWindowSession, type WindowSession } from '../support/window-session';

const providerId = 'leaving-bucket';
let session: WindowSession;

describe('removing a provider that holds files, in the window', () => {
  beforeAll(async () => {
    session = await openWindowSession('retire', { viewport: { width: 1100, height: 720 } });
  });
  afterAll(() => closeLabSession(session, providerId));

  it('keeps their record: the provider is retired, and the file link still copies and opens', async () => {
    const { service, watchDir, page, platform } = session;
    await offloadToLab(session, providerId);
    const bytes = randomBytes(50_000);
    await writeFile(join(watchDir, 'frame-0001.exr'), bytes);
    await expect.poll(() => service.log.list().find((r) => r.relPath === 'frame-0001.exr')?.state, { timeout: 30_000 }).toBe('offloaded');
    await service.storage.setActive('local');

    await goTo(page, `#/providers/${providerId}`);
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Remove provider…' }).click();
    const ask = page.getByRole('group', { name: 'What becomes of its files' });
    expect(await ask.textContent()).toContain('It holds 1 file.');
    expect(await ask.getByRole('button', { name: 'Forget 1 file' }).isVisible()).toBe(true);
    await ask.getByRole('button', { name: 'Keep their record' }).click();
    await expect.poll(() => page.getByTestId('toast-success').last().textContent()).toContain(`Retired ${providerId}`);
    await expect.poll(() => page.getByTestId(`status-${providerId}`).textContent()).toBe('retired');
    expect(service.settings.current.providers.find((p) => p.id === providerId)?.retired).toBe(true);
    // Not a choice for new files: gone from the default storage list.
    expect(await page.getByLabel('Default storage').locator('option').allTextContents()).not.toContain(providerId);

    // Its screen is read-only, offering only to forget the file later.
    await goTo(page, `#/providers/${providerId}`);
    await expect.poll(() => page.getByText(/^Retired: kept so the 1 file it holds keep their links/).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Forget its 1 file…' }).isVisible()).toBe(true);

    await goTo(page, '#/log');
    await page.getByTestId('log-row').filter({ hasText: 'frame-0001.exr' }).click();
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect.poll(() => platform.copied.length).toBe(1);
    expect(sha256(Buffer.from(await (await fetch(platform.copied[0]!)).arrayBuffer()))).toBe(sha256(bytes));
    await page.getByRole('button', { name: 'Open in browser' }).click();
    await expect.poll(() => platform.opened.length).toBe(1);
    const opened = await fetch(platform.opened[0]!);
    expect(opened.status).toBe(200);
    expect(sha256(Buffer.from(await opened.arrayBuffer()))).toBe(sha256(bytes));
    expect(session.problems).toEqual([]);
  });
});
