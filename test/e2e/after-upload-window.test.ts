/**
 * After-upload actions in the window (issue #18), in Chromium over the real command table and a running
 * engine on Ceph RGW: set on the General screen (a command only after main's dialog says yes), an upload
 * puts its link on the (recorded) clipboard in the chosen format, files finishing together put all their
 * links there at once, one per line, and the command's output shows in the file's timeline in the log.
 * A watch folder gets its own actions on the Watch folders screen. Screenshot: `after-upload`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterUploadNotification } from '../../src/core/after-upload/desktop';
import { closeLabSession, offloadToLab } from '../support/lab-provider';
import { dismissToasts, goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

const providerId = 'after-upload-bucket';
const CDN = 'https://cdn.example.test/renders';
let session: WindowSession;
const notified: AfterUploadNotification[] = [];

/** The Markdown image copied for a file uploaded as `name` (key = the name; no key prefix). */
const markdown = (name: string) => `![${name}](${CDN}/${encodeURIComponent(name)})`;
const settingsOnDisk = async () =>
  JSON.parse(await readFile(session.settingsFile, 'utf8')) as {
    upload: { afterUpload: Record<string, unknown> };
    watchFolders: { path: string; afterUpload?: Record<string, unknown> }[];
  };

describe('after-upload actions, in the window', () => {
  beforeAll(async () => {
    session = await openWindowSession('after-upload', { viewport: { width: 1100, height: 720 } });
    const { service, platform } = session;
    // The desktop's clipboard, browser and notifications: the test platform's, recorded.
    service.afterUpload.useDesktop({
      copyText: (text) => platform.copyText(text),
      openLink: (url) => platform.openInBrowser(url),
      notify: async (n) => void notified.push(n),
    });
    await offloadToLab(session, providerId, { publicUrl: CDN }, {});
  });
  afterAll(() => closeLabSession(session, providerId));

  it('is set on the General screen; a command is saved only after main asks', async () => {
    const { page, platform } = session;
    await goTo(page, '#/general');
    const form = page.getByRole('form', { name: 'After-upload settings' });
    await form.getByLabel('Copy the link to the clipboard').check();
    await form.getByLabel('Show a notification with the link').check();
    await form.getByLabel('What is copied').selectOption('custom');
    await form.getByLabel('Template').fill('![{name}]({link})');
    await expect.poll(() => form.locator('.field-error').textContent()).toContain('Template: unknown placeholder {link}');
    expect(await form.getByRole('button', { name: 'Save after-upload settings' }).isDisabled()).toBe(true);
    await form.getByLabel('What is copied').selectOption('markdown');
    await expect
      .poll(() => form.getByText('Example: ![castle-03.png](https://cdn.example.com/renders/castle-03.png)').isVisible())
      .toBe(true);
    await form.getByLabel('Run a command').check();
    // One argument per line, run without a shell: the program, then its arguments. The screenshot shows a
    // typical one; the test then runs Node, which is sure to be here.
    const command = form.getByLabel('Command, one argument per line');
    await command.fill(['curl', '--fail', '--data-urlencode', 'link={url}', 'https://hooks.example.com/uploaded'].join('\n'));
    await form.getByLabel('Stop the command after (seconds)').fill('30');
    // The whole section in one shot: a taller window, scrolled to it.
    await page.setViewportSize({ width: 1100, height: 1000 });
    await dismissToasts(page);
    await form.evaluate((el) => {
      (document.activeElement as HTMLElement | null)?.blur();
      el.scrollIntoView({ block: 'start' });
    });
    await page.screenshot({ path: screenshotFile('after-upload') });
    await page.setViewportSize({ width: 1100, height: 720 });
    await command.fill([process.execPath, '-e', 'console.log("hook saw " + process.argv[1])', '{name}'].join('\n'));

    // Main's dialog says no: nothing is saved, and the toast says why.
    await form.getByRole('button', { name: 'Save after-upload settings' }).click();
    await expect
      .poll(() => page.getByTestId('toast-error').last().textContent())
      .toContain('was not confirmed, so nothing changed');
    expect(platform.confirmations.at(-1)).toMatchObject({
      message: 'Run this command after every upload?',
      detail: expect.stringContaining('{name}'),
    });
    expect((await settingsOnDisk()).upload.afterUpload).toMatchObject({ copyLink: false, runCommand: false });

    platform.confirmAnswer = true;
    await form.getByRole('button', { name: 'Save after-upload settings' }).click();
    await expect.poll(() => page.getByTestId('toast-success').last().textContent()).toContain('After-upload settings saved');
    expect((await settingsOnDisk()).upload.afterUpload).toMatchObject({
      copyLink: true,
      notify: true,
      format: 'markdown',
      runCommand: true,
      command: [process.execPath, '-e', 'console.log("hook saw " + process.argv[1])', '{name}'],
      commandTimeoutSeconds: 30,
    });
    expect(session.problems).toEqual([]);
  });

  it("copies the link of an upload, and a burst's links one per line, once", async () => {
    const { service, watchDir, platform } = session;
    await writeFile(join(watchDir, 'castle 01.png'), 'first frame');
    await expect.poll(() => platform.copied.length, { timeout: 30_000 }).toBe(1);
    expect(platform.copied).toEqual([markdown('castle 01.png')]);
    expect(notified.at(-1)).toMatchObject({
      title: 'Offloaded: castle 01.png',
      click: { kind: 'copy', text: markdown('castle 01.png') },
    });

    // Three files held in the queue and let go together finish within moments of each other: one burst.
    await service.queue.pause();
    const burst = ['castle 02.png', 'castle 03.png', 'castle 04.png'];
    for (const name of burst) await writeFile(join(watchDir, name), `frame ${name}`);
    await expect
      .poll(() => burst.every((n) => service.log.latestForPath(join(watchDir, n))?.state === 'queued'), { timeout: 30_000 })
      .toBe(true);
    await service.queue.resume();
    await expect
      .poll(() => burst.every((n) => service.log.latestForPath(join(watchDir, n))?.state === 'offloaded'), { timeout: 30_000 })
      .toBe(true);
    await service.afterUpload.settled();
    expect(platform.copied).toHaveLength(2);
    expect(platform.copied[1]!.split('\n').sort()).toEqual(burst.map(markdown));
    expect(notified.at(-1)).toMatchObject({ title: '3 files offloaded' });
  });

  it("shows the command's exit status and output in the file's timeline in the log", async () => {
    const { page, service, watchDir } = session;
    const row = service.log.latestForPath(join(watchDir, 'castle 01.png'))!;
    await expect
      .poll(() => service.log.timeline(row.id).some((t) => t.detail?.includes('hook saw castle 01.png')), { timeout: 30_000 })
      .toBe(true);
    await goTo(page, '#/log');
    await dismissToasts(page);
    await page.getByTestId('log-row').filter({ hasText: 'castle 01.png' }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect
      .poll(() => timeline.textContent())
      .toMatch(/after upload: .+ exited with 0 after [\d.]+ s; last lines: hook saw castle 01\.png/);
    expect(await timeline.textContent()).toContain('after upload: link copied to the clipboard');
    expect(await page.getByTestId('detail-state').textContent()).toBe('offloaded');
    expect(session.problems).toEqual([]);
  });

  it('gives a watch folder its own actions, and hands it back to the General ones', async () => {
    const { page, watchDir } = session;
    await goTo(page, '#/watch');
    await page.getByRole('button', { name: `After-upload actions for ${watchDir}` }).click();
    const form = page.getByRole('form', { name: `After upload for ${watchDir}` });
    await form.getByLabel('Use its own after-upload actions').check();
    // Its own start as a copy of the General ones; this folder's files are not copied.
    await form.getByLabel('Copy the link to the clipboard').uncheck();
    await form.getByRole('button', { name: 'Save after-upload settings' }).click();
    await expect
      .poll(async () => (await settingsOnDisk()).watchFolders[0]!.afterUpload)
      .toMatchObject({ copyLink: false, notify: true, runCommand: true });
    await expect.poll(() => page.getByRole('cell', { name: 'own: notify, run a command' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: `After-upload actions for ${watchDir}` }).click();
    await form.getByLabel('Use its own after-upload actions').uncheck();
    await form.getByRole('button', { name: 'Save after-upload settings' }).click();
    await expect.poll(async () => 'afterUpload' in (await settingsOnDisk()).watchFolders[0]!).toBe(false);
    await expect.poll(() => page.getByRole('cell', { name: 'General: copy link, notify, run a command' }).isVisible()).toBe(true);
    expect(session.problems).toEqual([]);
  });
});
