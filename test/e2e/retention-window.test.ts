/**
 * The local retention policy in the window (issue #19), in Chromium over the real command table, with
 * the engine offloading real pictures to Ceph RGW: two files are pinned from the gallery (one from its
 * preview, one from a multi-select) and show it; the policy is set on the General screen — a field in
 * error names itself, main's dialog is asked and a "no" saves nothing — to "after 14 days, or sooner
 * when space runs low (under 99 % free)", a mark every test disk is under; the dashboard shows the
 * disk's free space and mark, what the policy could free, and "Free up space now" removes the unpinned
 * file (still in the bucket) while the pinned ones stay, byte for byte; the Watch folders screen lists
 * the pins, pins the folder, and gives it a policy of its own; the gallery marks the removed file as
 * only in the bucket and brings it back in one click. Each new screen passes axe-core in both themes,
 * and every control on it is reached with Tab.
 * Screenshots: retention-gallery, retention-general, retention-dashboard, retention-watch.
 *
 * The engine is stopped while the policy is saved and applied: its own schedule (a disk check every
 * minute) would otherwise run the same pass at a moment the test cannot choose, so the dashboard's button
 * could find nothing left to free. It is started again before the dashboard's screenshot.
 */
import { readFile, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/shared/format';
import { axeViolations, describeViolations } from '../support/axe';
import { sha256, waitFor } from '../support/engine-harness';
import { exists } from '../support/files';
import { keyboardProblems } from '../support/keyboard-sweep';
import { closeLabSession, offloadToLab } from '../support/lab-provider';
import { solidImage } from '../support/media-samples';
import { dismissToasts, goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

const providerId = `retention-${process.pid}`;
const OLD = 'old-0001.png';
const KEPT = 'keep-0002.png';
const ALSO_KEPT = 'keep-0003.png';
const POLICY = { rightAway: false, afterDays: 14, lowSpace: { below: 99, unit: '%' }, moveToTrash: false };
const POLICY_WORDS = 'after 14 days, or sooner when space runs low (under 99 % free)';

let session: WindowSession;
let page: Page;
const files = new Map<string, Buffer>();

const pathOf = (name: string) => join(session.watchDir, name);
const rowOf = (name: string) => session.service.log.latestForPath(pathOf(name))!;
const tile = (name: string) => page.getByTestId('gallery-tile').filter({ hasText: name });
const details = () => page.getByRole('complementary', { name: 'File details' });
const toast = (tone: 'success' | 'error' | 'info' | 'warning') => page.getByTestId(`toast-${tone}`).last();
const settingsOnDisk = async () => JSON.parse(await readFile(session.settingsFile, 'utf8')) as { retention?: unknown; watchFolders: { path: string; retention?: unknown }[] };
const pinnedPaths = () => session.service.retention.pins().map((p) => p.path);
const shot = async (name: string) => {
  await dismissToasts(page);
  await page.screenshot({ path: screenshotFile(name) });
};

/**
 * axe-core over the screen as it is, in the light theme and then the dark one (at the smallest window),
 * and the keyboard sweep: every control reached with Tab, showing its focus ring.
 */
async function expectAccessible(screen: string): Promise<void> {
  const found = (await keyboardProblems(page)).map((p) => `${screen}: ${p}`);
  for (const [scheme, viewport] of [
    ['light', { width: 1100, height: 720 }],
    ['dark', { width: 900, height: 600 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await axeViolations(page, { minImpact: 'serious' });
    if (violations.length) found.push(`${screen} (${scheme}):\n${describeViolations(violations)}`);
  }
  await page.setViewportSize({ width: 1100, height: 720 });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found, found.join('\n\n')).toEqual([]);
}

describe('the local retention policy, in the window', () => {
  beforeAll(async () => {
    // bypassCSP lets the test inject axe-core (test/support/axe.ts); test-only.
    session = await openWindowSession('retention', { viewport: { width: 1100, height: 720 }, bypassCSP: true });
    page = session.page;
    files.set(OLD, await solidImage('png', 1600, 900, { r: 40, g: 120, b: 200 }));
    files.set(KEPT, await solidImage('png', 1200, 800, { r: 230, g: 150, b: 40 }));
    files.set(ALSO_KEPT, await solidImage('png', 900, 1200, { r: 90, g: 160, b: 90 }));
    await offloadToLab(session, providerId);
    for (const [name, bytes] of files) await writeFile(pathOf(name), bytes);
    await waitFor(() => [...files.keys()].every((name) => session.service.log.latestForPath(pathOf(name))?.state === 'offloaded'), 60_000, 'every file offloaded');
  });
  afterAll(() => closeLabSession(session, providerId));

  it('pins a file from the gallery preview and another from a selection; their tiles say so', async () => {
    await goTo(page, '#/gallery');
    await expect.poll(() => page.getByTestId('gallery-total').textContent(), { timeout: 15_000 }).toBe('3 files');
    await tile(KEPT).getByRole('button').click();
    await details().getByRole('button', { name: 'Keep on this computer' }).click();
    await expect.poll(() => toast('success').textContent()).toContain(`Keeping ${KEPT} on this computer`);
    await expect.poll(() => details().getByTestId('pin-state').textContent()).toContain('Kept here');
    expect(await details().getByRole('button', { name: 'Allow removal' }).count()).toBe(1);
    await expect.poll(() => tile(KEPT).locator('.badge').allTextContents()).toEqual(['Offloaded', 'Kept here']);

    await page.getByRole('checkbox', { name: `Select ${ALSO_KEPT}`, exact: true }).check();
    await page.getByRole('button', { name: 'Keep selected on this computer' }).click();
    await expect.poll(() => toast('success').textContent()).toContain('Keeping 1 file on this computer');
    await expect.poll(() => tile(ALSO_KEPT).locator('.badge').allTextContents()).toEqual(['Offloaded', 'Kept here']);
    expect(await tile(OLD).locator('.badge').allTextContents()).toEqual(['Offloaded']);
    expect(pinnedPaths().sort()).toEqual([pathOf(KEPT), pathOf(ALSO_KEPT)].sort());
    await shot('retention-gallery');
    await expectAccessible('gallery with pins, a file selected and a pinned one previewed');
    await page.keyboard.press('Escape');
  });

  it('sets the policy on the General screen: fields name themselves, and a "no" in main\'s dialog saves nothing', async () => {
    const { service, platform } = session;
    expect((await statfs(session.watchDir)).bavail / (await statfs(session.watchDir)).blocks, 'the test disk is under the 99 % free mark').toBeLessThan(0.99);
    // The policy's own schedule would run the pass at a moment of its choosing (see the header).
    await service.stop();
    await goTo(page, '#/general');
    const form = page.getByRole('form', { name: 'Local copies settings' });
    const mode = form.getByLabel('Remove local copies');
    expect(await mode.inputValue()).toBe('never');
    await expect.poll(() => form.getByTestId('retention-summary').textContent()).toBe('Local copies leave: never (every local copy is kept).');
    await mode.selectOption({ label: 'By rule: after some days, or when space runs low' });
    await expect.poll(() => form.locator('.field-error').textContent()).toContain('By rule: tick "after a number of days", "when space runs low", or both');
    await form.getByLabel('After a number of days').check();
    await form.getByLabel('Days after offload').fill('0');
    await expect.poll(() => form.locator('.field-error').textContent()).toBe('Days: a whole number from 1 to 3650');
    expect(await form.getByRole('button', { name: 'Save local copies policy' }).isDisabled()).toBe(true);
    await form.getByLabel('Days after offload').fill('14');
    await form.getByLabel('When space runs low').check();
    await form.getByLabel('Unit').selectOption('%');
    await form.getByLabel('Free space under').fill('100');
    await expect.poll(() => form.locator('.field-error').textContent()).toBe('Free space: a percentage above 0 and under 100');
    await form.getByLabel('Free space under').fill('99');
    await expect.poll(() => form.getByTestId('retention-summary').textContent()).toBe(`Local copies leave: ${POLICY_WORDS}.`);
    await shot('retention-general');
    await expectAccessible('general settings, local copies by rule');

    const before = await readFile(session.settingsFile, 'utf8');
    platform.confirmAnswer = false;
    await form.getByRole('button', { name: 'Save local copies policy' }).click();
    await expect.poll(() => toast('error').textContent()).toContain('Local copies policy not saved');
    expect(await toast('error').textContent()).toContain('was not confirmed, so nothing changed');
    expect(platform.confirmations.at(-1)).toMatchObject({ message: `Remove local copies of offloaded files ${POLICY_WORDS}?`, confirmLabel: 'Remove local copies' });
    expect(await readFile(session.settingsFile, 'utf8')).toBe(before);
    await dismissToasts(page);

    platform.confirmAnswer = true;
    await form.getByRole('button', { name: 'Save local copies policy' }).click();
    await expect.poll(() => toast('success').textContent()).toContain('Local copies policy saved');
    expect((await settingsOnDisk()).retention).toEqual(POLICY);
    platform.confirmAnswer = false;
  });

  it("shows the disk's space on the dashboard, and frees it: the unpinned file leaves, the pinned ones stay", async () => {
    const { service } = session;
    const oldSize = files.get(OLD)!.length;
    await goTo(page, '#/');
    const card = page.getByTestId('retention-figures');
    await expect.poll(() => card.getByTestId('retention-policy').textContent(), { timeout: 15_000 }).toBe(`Local copies leave: ${POLICY_WORDS}. Change`);
    const disk = card.getByTestId('disk-space');
    await expect.poll(() => disk.textContent()).toMatch(new RegExp(`^${session.watchDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .+ free of .+ \\(\\d+ %\\); keeps at least .+ free$`));
    expect(await disk.getByRole('meter').getAttribute('aria-label')).toBe(`Space used on the disk of ${session.watchDir}`);
    const counts = card.getByTestId('retention-counts');
    await expect.poll(() => counts.textContent()).toContain(`The policy could free now${formatBytes(oldSize)} (1 file)`);
    expect(await counts.textContent()).toContain('Freed so far0 B');
    expect(await counts.textContent()).toContain('Kept on this computer2 files or folders');

    await card.getByRole('button', { name: 'Free up space now' }).click();
    await expect.poll(() => toast('success').textContent(), { timeout: 30_000 }).toContain(`Freed ${formatBytes(oldSize)}`);
    expect(await toast('success').textContent()).toContain('1 file removed from this computer; each is still in its bucket and can be brought back.');
    expect(rowOf(OLD).state).toBe('local-removed');
    expect(await exists(pathOf(OLD))).toBe(false);
    for (const name of [KEPT, ALSO_KEPT]) {
      expect(rowOf(name).state, name).toBe('offloaded');
      expect(sha256(await readFile(pathOf(name))), name).toBe(sha256(files.get(name)!));
    }
    await expect.poll(() => counts.textContent()).toContain(`Freed so far${formatBytes(oldSize)}`);
    await expect.poll(() => counts.textContent()).toContain('The policy could free now0 B (0 files)');

    // The engine again, with its schedule: the pinned files stay through its passes too.
    await service.start();
    await expect.poll(() => page.getByRole('button', { name: 'Pause offloading' }).count()).toBe(1);
    await shot('retention-dashboard');
    await expectAccessible('dashboard with the local copies card');
    await new Promise((r) => setTimeout(r, 3_000));
    for (const name of [KEPT, ALSO_KEPT]) expect(await exists(pathOf(name)), name).toBe(true);
  });

  it('lists the pins on the Watch folders screen, pins the folder, and gives it a policy of its own', async () => {
    await goTo(page, '#/watch');
    const pins = page.getByRole('table', { name: 'Kept on this computer' });
    await expect.poll(() => pins.getByRole('row').count()).toBe(3);
    expect(await pins.getByText(pathOf(KEPT), { exact: true }).count()).toBe(1);
    const row = page.getByRole('table', { name: 'Watch folders' }).getByRole('row').filter({ has: page.getByRole('cell', { name: session.watchDir, exact: true }) });
    expect(await row.getByTestId('folder-retention').textContent()).toBe(`General: ${POLICY_WORDS}`);

    const folderPin = row.getByRole('checkbox', { name: /^Keep this folder on this computer/ });
    // Checked once the pin is made (the box shows the pins, not the click).
    await folderPin.click();
    await expect.poll(() => folderPin.isChecked()).toBe(true);
    expect(pinnedPaths()).toContain(session.watchDir);
    await expect.poll(() => pins.getByRole('row').count()).toBe(4);
    await folderPin.click();
    await expect.poll(() => folderPin.isChecked()).toBe(false);
    expect(pinnedPaths()).not.toContain(session.watchDir);

    await row.getByRole('button', { name: `Local copies policy for ${session.watchDir}` }).click();
    const own = page.getByRole('form', { name: `Local copies for ${session.watchDir}` });
    const which = own.getByLabel('Policy', { exact: true });
    expect(await which.locator('option:checked').textContent()).toBe(`The General policy: ${POLICY_WORDS}`);
    await which.selectOption({ label: 'Its own policy' });
    // It starts from the General policy; this folder keeps every copy.
    expect(await own.getByLabel('Remove local copies').inputValue()).toBe('rule');
    await own.getByLabel('Remove local copies').selectOption({ label: 'Never: keep every local copy' });
    await expect.poll(() => own.getByTestId('retention-summary').textContent()).toBe('Local copies leave: never (every local copy is kept).');
    await shot('retention-watch');
    await expectAccessible('watch folders with pins and a folder policy open');
    const asked = session.platform.confirmations.length;
    await own.getByRole('button', { name: 'Save local copies policy' }).click();
    await expect.poll(() => toast('success').textContent()).toContain(`Local copies policy saved for ${session.watchDir}`);
    // Keeping more needs no yes.
    expect(session.platform.confirmations).toHaveLength(asked);
    expect((await settingsOnDisk()).watchFolders[0]?.retention).toEqual({ rightAway: false, afterDays: null, lowSpace: null, moveToTrash: false });
    await expect.poll(() => row.getByTestId('folder-retention').textContent()).toBe('own: never (every local copy is kept)');
  });

  it('lists a pin and an unpin made elsewhere, though the number of pins stays the same', async () => {
    await goTo(page, '#/watch');
    const pins = page.getByRole('table', { name: 'Kept on this computer' });
    await expect.poll(() => pins.getByText(pathOf(ALSO_KEPT), { exact: true }).count()).toBe(1);
    const swap = async (unpin: string, pin: string): Promise<void> => {
      // As `offload unpin` and `offload pin` in a terminal would: on the ledger, nothing from this window.
      session.service.retention.unpin([pathOf(unpin)]);
      session.service.retention.pin([pathOf(pin)]);
      // The next status the window reads anyway (a file offloaded, a disk check) carries the change.
      session.service.events.emit('statusChanged', session.service.status().engine!);
      await expect.poll(() => pins.getByText(pathOf(pin), { exact: true }).count()).toBe(1);
      expect(await pins.getByText(pathOf(unpin), { exact: true }).count()).toBe(0);
    };
    const count = await pins.getByRole('row').count();
    await swap(ALSO_KEPT, OLD);
    expect(await pins.getByRole('row').count()).toBe(count);
    await swap(OLD, ALSO_KEPT); // as it was, for the tests after this one
  });

  it('marks the removed file as only in the bucket, and brings it back in one click', async () => {
    await goTo(page, '#/gallery');
    await expect.poll(() => tile(OLD).locator('.badge').allTextContents(), { timeout: 15_000 }).toEqual(['Only in the bucket']);
    await tile(OLD).getByRole('button').click();
    await expect.poll(() => details().getByTestId('only-remote').textContent()).toContain('Only in the bucket.');
    await expectAccessible('gallery preview of a file only in the bucket');
    await details().getByRole('button', { name: `Bring back ${OLD} from the bucket` }).click();
    await expect.poll(() => toast('success').textContent(), { timeout: 30_000 }).toContain(`Brought back ${OLD}`);
    expect(sha256(await readFile(pathOf(OLD)))).toBe(sha256(files.get(OLD)!));
    await expect.poll(() => tile(OLD).locator('.badge').allTextContents()).toEqual(['Offloaded']);
    expect(await details().getByTestId('only-remote').count()).toBe(0);
  });

  it('logged no errors in the page', () => {
    expect(session.problems).toEqual([]);
  });
});
