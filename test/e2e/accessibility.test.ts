/**
 * Accessibility end to end (issue #21): axe-core over every screen of the built window in Chromium, in
 * the light theme at 1100×720 and the dark one at 900×600 (the app follows prefers-color-scheme), backed
 * by a real OffloadService with providers in each state and files offloaded, failed and deleted from the
 * bucket. Screens are checked as a user sees them: a red toast up throughout, a green one on the
 * provider form, the log's details panel open, an inline confirmation open. A serious or critical
 * violation fails, naming the screen, the rule, the element and axe's reason. The first test plants a
 * low-contrast paragraph and expects the checker to report it, so a checker that silently checks
 * nothing cannot pass. Last, a keyboard sweep: every control on every screen is reached with Tab and
 * shows a focus ring when it is.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations, type AxeViolation } from '../support/axe';
import { waitFor } from '../support/engine-harness';
import { keyboardProblems } from '../support/keyboard-sweep';
import { dismissToasts, goTo, openWindowSession, type WindowSession } from '../support/window-session';

const themes = [
  { scheme: 'light', viewport: { width: 1100, height: 720 } },
  { scheme: 'dark', viewport: { width: 900, height: 600 } },
] as const;
type Theme = (typeof themes)[number];

const good = `a11y-good-${process.pid}`;
const bad = `a11y-bad-${process.pid}`;
const half = `a11y-half-${process.pid}`;

let session: WindowSession;
let page: Page;

const useTheme = async ({ scheme, viewport }: Theme) => {
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: scheme });
};
const visible = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 30_000 });
const button = (name: string) => page.getByRole('button', { name, exact: true });
/**
 * Presses Enter on a button once it is enabled, as a keyboard user would: a toast at the bottom right
 * may cover a button, which stops a mouse click there but not the keyboard.
 */
const press = async (control: Locator) => {
  await control.and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
  await control.press('Enter');
};
const logRow = (name: string) => page.getByTestId('log-row').filter({ hasText: name });
const serious = (): Promise<AxeViolation[]> => axeViolations(page, { minImpact: 'serious' });

/** Each screen in the state to check, reached from wherever the previous one left the window. */
const screens: { name: string; show: () => Promise<void> }[] = [
  {
    name: 'dashboard',
    show: async () => {
      await goTo(page, '#/');
      await visible(page.getByTestId('failed-banner'));
    },
  },
  {
    name: 'dashboard, paused',
    show: async () => {
      await session.service.queue.pause();
      await visible(page.locator('.banner-warning'));
    },
  },
  {
    name: 'providers list and default storage',
    show: async () => {
      await session.service.queue.resume();
      await goTo(page, '#/providers');
      await visible(page.getByTestId(`status-${half}`));
    },
  },
  {
    name: 'provider form with Advanced open, a green toast and the removal question',
    show: async () => {
      await goTo(page, `#/providers/${good}`);
      await page.locator('summary', { hasText: 'Advanced' }).press('Enter');
      await press(button('Test connection'));
      await visible(page.getByTestId('toast-success'));
      // It holds files, so removing it asks what becomes of them (keep their record, or forget them).
      await press(button('Remove provider…'));
      await visible(page.getByRole('group', { name: 'What becomes of its files' }));
    },
  },
  {
    name: 'move screen with its plan',
    show: async () => {
      await goTo(page, `#/move/${good}`);
      await visible(page.getByTestId('move-plan').filter({ hasText: 'from Studio bucket to' }));
    },
  },
  {
    name: 'bucket view with an object from another client selected',
    show: async () => {
      // Put there by another client, not the app: the one object the library lacks (idempotent).
      await session.lab.client().send(new PutObjectCommand({ Bucket: session.bucket, Key: 'from-the-laptop.png', Body: 'uploaded elsewhere' }));
      await goTo(page, `#/bucket/${good}`);
      await page.getByRole('checkbox', { name: 'Select from-the-laptop.png' }).press('Space');
      await visible(button('Add 1 file to library'));
    },
  },
  {
    name: 'new provider form',
    show: async () => {
      await goTo(page, '#/providers/+r2');
      await visible(page.getByRole('form', { name: /settings$/ }));
      await page.locator('summary', { hasText: 'Advanced' }).press('Enter');
    },
  },
  {
    name: 'watch folders',
    show: async () => {
      await goTo(page, '#/watch');
      await visible(page.getByRole('cell', { name: session.watchDir, exact: true }));
    },
  },
  {
    name: 'offload log, offloaded file selected, deletion question open',
    show: async () => {
      await goTo(page, '#/log');
      await press(logRow('shot-0002.png'));
      await press(button('Delete from bucket…'));
      await visible(page.getByRole('group', { name: 'Confirm deletion' }));
    },
  },
  {
    name: 'offload log, failed file selected',
    show: async () => {
      await press(logRow('broken-0001.png'));
      await visible(button('Retry'));
    },
  },
  {
    name: 'gallery, a file selected and another previewed',
    show: async () => {
      await goTo(page, '#/gallery');
      const tile = (name: string) => page.getByTestId('gallery-tile').filter({ hasText: name });
      await visible(tile('shot-0002.png'));
      const select = page.getByRole('checkbox', { name: 'Select broken-0001.png', exact: true });
      if (!(await select.isChecked())) await select.press('Space');
      await visible(page.getByRole('region', { name: 'Selected files' }));
      await press(tile('shot-0002.png').getByRole('button'));
      await visible(page.getByRole('complementary', { name: 'File details' }).getByText('shot-0002.png', { exact: true }));
    },
  },
  {
    name: 'general settings with a field in error',
    show: async () => {
      await goTo(page, '#/general');
      await page.getByLabel('Parallel uploads').fill('40');
      await visible(page.getByText('Parallel uploads: a whole number from 1 to 32'));
    },
  },
  // The first-run setup's steps (features/first-run): reachable by address here, where a provider is
  // the default storage and a folder is watched; nothing on them is saved by these visits.
  {
    name: 'first-run setup: choose a provider, its help and links showing',
    show: async () => {
      await goTo(page, '#/setup/provider');
      await press(button('Cloudflare R2'));
      await visible(page.getByRole('region', { name: 'About Cloudflare R2' }));
    },
  },
  {
    name: 'first-run setup: bucket and key with Advanced open, fields in error',
    show: async () => {
      await press(button('Next'));
      const form = page.getByRole('form', { name: 'Cloudflare R2 bucket and key' });
      await form.locator('summary', { hasText: 'Advanced' }).press('Enter');
      await press(form.getByRole('button', { name: 'Test connection' }));
      await visible(form.locator('.field-error'));
    },
  },
  {
    name: 'first-run setup: results folder',
    show: async () => {
      await goTo(page, '#/setup/folder');
      await visible(page.getByRole('form', { name: 'Results folder' }));
    },
  },
  {
    name: 'first-run setup: after upload',
    show: async () => {
      await goTo(page, '#/setup/after-upload');
      await visible(page.getByRole('form', { name: 'After upload' }));
    },
  },
];

beforeAll(async () => {
  // bypassCSP lets the test inject axe-core as an inline script (test/support/axe.ts); test-only.
  session = await openWindowSession('a11y', { viewport: themes[0].viewport, bypassCSP: true });
  page = session.page;
});

afterAll(async () => {
  for (const id of [good, bad]) await session?.service.providers.deleteSecret(id).catch(() => false);
  await session?.close();
});

describe('accessibility of every screen (axe-core)', () => {
  it('the checker runs: a low-contrast paragraph planted in the page is reported as color-contrast', async () => {
    await useTheme(themes[0]);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'axe-fixture';
      p.textContent = 'Too pale to read';
      Object.assign(p.style, { color: '#bbb', background: '#fff' });
      document.querySelector('main')!.append(p);
    });
    const found = await serious();
    await page.evaluate(() => document.getElementById('axe-fixture')!.remove());
    expect(found).toContainEqual(expect.objectContaining({ rule: 'color-contrast', impact: 'serious', targets: ['#axe-fixture'] }));
    expect(describeViolations(found)).toMatch(/color-contrast \(serious\) at #axe-fixture\n {2}<p id="axe-fixture"/);
  });

  it("keeps the app's CSP: without the test-only bypass the checker cannot be injected", async () => {
    const strict = await session.browser.newPage();
    try {
      await strict.goto(page.url());
      await expect(axeViolations(strict, { minImpact: 'serious' })).rejects.toThrow(/Content-Security-Policy blocked it/);
    } finally {
      await strict.close();
    }
  });

  it.each(themes)('the empty dashboard passes in $scheme at $viewport.width×$viewport.height', async (theme) => {
    await useTheme(theme);
    await goTo(page, '#/');
    await visible(page.getByText('Files stay on this machine'));
    const found = await serious();
    expect(found, describeViolations(found)).toEqual([]);
  });

  it('sets up providers in every state and files offloaded, failed and deleted from the bucket', async () => {
    const { service, lab, bucket, watchDir } = session;
    const minio = { type: 'minio', bucket, endpoint: lab.endpoint, region: lab.region, accessKeyId: lab.users.main.accessKeyId };
    await service.providers.save({ id: good, label: 'Studio bucket', ...minio }, lab.users.main.secretAccessKey);
    await service.providers.save({ id: bad, ...minio }, 'not-the-secret');
    await service.providers.save({ id: half, type: 'r2', bucket: 'half-set-up' });
    const state = (name: string) => service.log.list().find((r) => r.relPath === name)?.state;

    await service.storage.setActive(bad);
    await service.watch.add({ path: watchDir });
    await writeFile(join(watchDir, 'broken-0001.png'), 'a file the wrong secret cannot upload');
    await waitFor(() => state('broken-0001.png') === 'failed', 30_000, 'broken-0001.png failed');

    await service.storage.setActive(good);
    await writeFile(join(watchDir, 'shot-0002.png'), 'a render');
    await writeFile(join(watchDir, 'take-0003.mp4'), 'a take');
    await waitFor(() => state('shot-0002.png') === 'offloaded' && state('take-0003.mp4') === 'offloaded', 30_000, 'both files offloaded');
    await service.log.deleteRemote(service.log.list().find((r) => r.relPath === 'take-0003.mp4')!.id);
  });

  it.each(themes)('every screen passes in $scheme at $viewport.width×$viewport.height, toasts and details showing', async (theme) => {
    await useTheme(theme);
    await dismissToasts(page);
    // A failure toast stays until dismissed, so it is on every screen that follows.
    await goTo(page, `#/providers/${bad}`);
    await press(button('Test connection'));
    await visible(page.getByTestId('toast-error'));

    const found: string[] = [];
    for (const screen of screens) {
      await screen.show();
      const violations = await serious();
      if (violations.length) found.push(`${screen.name}:\n${describeViolations(violations)}`);
    }
    expect(await page.getByTestId('toast-error').count()).toBeGreaterThan(0);
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it('the keyboard sweep runs: it names a planted button Tab skips and one that hides its focus ring', async () => {
    await goTo(page, '#/');
    await page.evaluate(() => {
      const skipped = Object.assign(document.createElement('button'), { id: 'kb-skipped', tabIndex: -1, textContent: 'Skipped' });
      const ringless = Object.assign(document.createElement('button'), { id: 'kb-ringless', textContent: 'Ringless' });
      ringless.style.outline = 'none';
      document.querySelector('main')!.append(skipped, ringless);
    });
    const problems = await keyboardProblems(page);
    await page.evaluate(() => document.querySelectorAll('#kb-skipped, #kb-ringless').forEach((el) => el.remove()));
    expect(problems).toEqual([expect.stringMatching(/^not reached with Tab: <button id="kb-skipped"/), expect.stringMatching(/^no focus ring: <button id="kb-ringless"/)]);
  });

  it('reaches every control on every screen with Tab, each showing a focus ring when focused', async () => {
    await useTheme(themes[0]);
    const problems: string[] = [];
    for (const screen of screens) {
      await screen.show();
      problems.push(...(await keyboardProblems(page)).map((p) => `${screen.name}: ${p}`));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('logged no errors in the page', () => {
    expect(session.problems).toEqual([]);
  });
});
