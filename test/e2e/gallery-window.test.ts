/**
 * The gallery (issue #18) in Chromium over the real command table, with the engine offloading to Ceph
 * RGW and removing local copies: it shows the offloaded files, newest first; search, type, folder and
 * day filters narrow it; a locally removed file's preview opens with its details and timeline; a
 * Shift-click range selected with the mouse gets every link, one a line, on the recorded clipboard in
 * one copy; a range selected with Shift+arrows is brought back byte-identical; a selection goes to the
 * move screen with its ids. The files are real pictures and a video, but thumbnails are not required: a
 * tile shows the file's type until main serves its picture (the thumbnail tests cover that).
 * Screenshots: gallery.png, gallery-preview.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, waitFor } from '../support/engine-harness';
import { uniqueBucket } from '../support/lab-servers';
import { solidImage, testVideo } from '../support/media-samples';
import { dismissToasts, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

const STUDIO = `gallery-studio-${process.pid}`;
const ARCHIVE = `gallery-archive-${process.pid}`;
const CDN = 'https://cdn.example.test/renders';

let session: WindowSession;
let page: Page;
let stillsDir: string;
/** Each file's bytes by name (real pictures and a real video, made in beforeAll), to compare what comes back. */
const files = new Map<string, { dir: 'results' | 'stills'; bytes: Buffer }>();

async function makeFiles(): Promise<void> {
  const made: [string, 'results' | 'stills', Promise<Buffer>][] = [
    ['shot-0001.png', 'results', solidImage('png', 1200, 800, { r: 40, g: 120, b: 200 })],
    ['shot-0002.png', 'results', solidImage('png', 800, 1200, { r: 230, g: 150, b: 40 })],
    ['take-0003.mp4', 'results', testVideo('mp4', 320, 240)],
    ['castle-0004.jpg', 'stills', solidImage('jpeg', 1600, 900, { r: 90, g: 160, b: 90 })],
    ['notes-0005.txt', 'stills', Promise.resolve(Buffer.from(`Render notes ${randomBytes(8).toString('hex')}\n`))],
  ];
  for (const [name, dir, bytes] of made) files.set(name, { dir, bytes: await bytes });
}

const pathOf = (name: string): string => join(files.get(name)!.dir === 'stills' ? stillsDir : session.watchDir, name);
const rowOf = (name: string) => session.service.log.latestForPath(pathOf(name))!;
const total = () => page.getByTestId('gallery-total').textContent();
const tileNames = () => page.getByTestId('gallery-tile').locator('.gallery-name').allTextContents();
const tile = (name: string) => page.getByTestId('gallery-tile').filter({ hasText: name });
const check = (name: string) => page.getByRole('checkbox', { name: `Select ${name}`, exact: true });
const pageProblems = () => session.problems;
/** The image's decoded width once it has loaded (0 while loading or broken): a real picture, not a placeholder. */
const loadedWidth = (image: ReturnType<typeof page.locator>) => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));

/** A day as a date input takes it, `days` from today, local time. */
function day(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe('the gallery, in the window', () => {
  beforeAll(async () => {
    session = await openWindowSession('gallery', { viewport: { width: 1100, height: 720 } });
    page = session.page;
    await makeFiles();
    const { service, lab, bucket, watchDir, root } = session;
    const user = lab.users.main;
    const archiveBucket = uniqueBucket('gallery-archive');
    await lab.createBucket(archiveBucket);
    const minio = { type: 'minio', endpoint: lab.endpoint, region: lab.region, accessKeyId: user.accessKeyId };
    await service.providers.save({ id: STUDIO, label: 'Studio', bucket, publicUrl: CDN, ...minio }, user.secretAccessKey);
    // Local copies leave as soon as the bucket's copy is verified (the retention policy, issue #19).
    await service.settings.saveRetention({ rightAway: true, afterDays: null, lowSpace: null, moveToTrash: false });
    await service.providers.save({ id: ARCHIVE, label: 'Archive', bucket: archiveBucket, ...minio }, user.secretAccessKey);
    await service.storage.setActive(STUDIO);
    stillsDir = join(root, 'stills');
    await mkdir(stillsDir);
    await service.watch.add({ path: watchDir, offloadExisting: true });
    await service.watch.add({ path: stillsDir, offloadExisting: true });
    for (const [name, { bytes }] of files) await writeFile(pathOf(name), bytes);
    await waitFor(() => [...files.keys()].every((name) => session.service.log.latestForPath(pathOf(name))?.state === 'local-removed'), 60_000, 'every file offloaded and removed here');
  });
  afterAll(async () => {
    for (const id of [STUDIO, ARCHIVE]) await session?.service.providers.deleteSecret(id).catch(() => false);
    await session?.close();
  });

  it('opens from the navigation and shows every offloaded file, newest first, with its state', async () => {
    await page.getByRole('link', { name: 'Gallery', exact: true }).click();
    await expect.poll(total, { timeout: 15_000 }).toBe('5 files');
    const newestFirst = [...files.keys()].sort((a, b) => rowOf(b).id - rowOf(a).id);
    await expect.poll(tileNames).toEqual(newestFirst);
    expect(await tile('castle-0004.jpg').locator('.badge').allTextContents()).toEqual(['Only in the bucket']);
    // Pictures and the video show thumbnails made by the core (served as media/thumb/<id>, same origin),
    // the text file its type icon — never a broken image.
    for (const name of ['shot-0001.png', 'shot-0002.png', 'castle-0004.jpg', 'take-0003.mp4']) {
      await expect.poll(() => loadedWidth(tile(name).getByTestId('thumb-image')), { timeout: 20_000 }).toBeGreaterThan(0);
    }
    await expect.poll(() => page.locator('[data-testid="thumb-image"], [data-testid="thumb-placeholder"]').count()).toBe(5);
    await dismissToasts(page);
    await page.screenshot({ path: screenshotFile('gallery') });
  });

  it('narrows by name, type, watch folder and day, and says when nothing matches', async () => {
    const search = page.getByPlaceholder('Search by name');
    await search.fill('castle');
    await expect.poll(total).toBe('1 file');
    expect(await tileNames()).toEqual(['castle-0004.jpg']);
    await search.fill('');
    await page.getByLabel('Type').selectOption('video');
    await expect.poll(tileNames).toEqual(['take-0003.mp4']);
    await page.getByLabel('Type').selectOption('other');
    await expect.poll(tileNames).toEqual(['notes-0005.txt']);
    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('Watch folder').selectOption(stillsDir);
    await expect.poll(total).toBe('2 files');
    expect((await tileNames()).sort()).toEqual(['castle-0004.jpg', 'notes-0005.txt']);
    await page.getByLabel('To', { exact: true }).fill(day(-1));
    await expect.poll(total).toBe('0 files');
    await expect.poll(() => page.getByText('No files match.').count()).toBe(1);
    await page.getByLabel('To', { exact: true }).fill(day(0));
    await expect.poll(total).toBe('2 files');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(total).toBe('5 files');
  });

  it('previews a file removed here: its details and timeline, with the actions the log has', async () => {
    await tile('castle-0004.jpg').getByRole('button').click();
    const details = page.getByRole('complementary', { name: 'File details' });
    await expect.poll(() => details.getByTestId('detail-state').textContent()).toBe('local-removed');
    await expect.poll(() => details.getByRole('list', { name: 'Timeline' }).textContent()).toContain('local-removed');
    expect(await details.getByText(pathOf('castle-0004.jpg'), { exact: true }).count()).toBe(1);
    // Removed here: the full picture comes from the bucket through the core, never from the bucket's host.
    await expect.poll(() => loadedWidth(details.getByTestId('preview-image')), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await details.getByTestId('preview-image').getAttribute('src')).toBe(`media/preview/${rowOf('castle-0004.jpg').id}`);
    for (const name of ['Copy link', 'Copy presigned link', 'Open in browser', 'Bring back castle-0004.jpg from the bucket', 'Delete from bucket…']) {
      expect(await details.getByRole('button', { name, exact: true }).count(), name).toBe(1);
    }
    expect(await details.getByRole('link', { name: 'Move to another storage…' }).getAttribute('href')).toBe(`#/move/${STUDIO}?ids=${rowOf('castle-0004.jpg').id}`);
    await details.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect.poll(() => session.platform.copied.at(-1)).toBe((await session.service.log.link(rowOf('castle-0004.jpg').id)).url);
    await page.getByTestId('toast-success').filter({ hasText: 'Public link copied' }).waitFor();
    await dismissToasts(page);
    // The preview from its top (the click above scrolled the panel to its button).
    await details.evaluate((panel) => panel.scrollTo(0, 0));
    await page.screenshot({ path: screenshotFile('gallery-preview') });
    await details.getByRole('button', { name: 'Close' }).click();
  });

  it('selects a range with Shift-click and copies every link, one a line, in one copy', async () => {
    const names = await tileNames();
    await check(names[1]!).click();
    await check(names[3]!).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('3 files selected');
    const copies = session.platform.copied.length;
    await page.getByRole('button', { name: 'Copy links', exact: true }).click();
    await expect.poll(() => session.platform.copied.length).toBe(copies + 1);
    const expected = await Promise.all(names.slice(1, 4).map(async (name) => (await session.service.log.link(rowOf(name).id)).url));
    expect(expected.every((url) => url.startsWith(`${CDN}/`))).toBe(true);
    expect(session.platform.copied.at(-1)).toBe(expected.join('\n'));
    await expect.poll(() => page.getByTestId('toast-success').last().textContent()).toContain('Copied 3 links');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('selection-count').count()).toBe(0);
  });

  it('selects with Shift+arrows and brings the selection back, byte-identical', async () => {
    const names = await tileNames();
    await tile(names[0]!).getByRole('button').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('3 files selected');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(names[2]);
    await dismissToasts(page);
    await page.getByRole('button', { name: 'Bring back selected' }).click();
    await expect.poll(() => page.getByTestId('toast-success').last().textContent(), { timeout: 30_000 }).toContain('Brought back 3 files');
    for (const name of names.slice(0, 3)) {
      expect(sha256(await readFile(pathOf(name))), name).toBe(sha256(files.get(name)!.bytes));
      expect(rowOf(name).state, name).toBe('offloaded');
    }
    await expect.poll(() => tile(names[0]!).locator('.badge').allTextContents()).toEqual(['Offloaded']);
    expect(rowOf(names[3]!).state).toBe('local-removed');
    await page.getByRole('button', { name: 'Clear selection' }).click();
  });

  it('sends a selection to the move screen with its ids', async () => {
    const names = await tileNames();
    await check(names[3]!).click();
    await check(names[4]!).click();
    await page.getByRole('button', { name: 'Move selected…' }).click();
    const ids = [rowOf(names[3]!).id, rowOf(names[4]!).id].sort((a, b) => a - b);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/move/${STUDIO}?ids=${ids.join(',')}`);
    await expect.poll(() => page.getByTestId('move-selection').textContent()).toContain('Only the 2 files selected in the gallery');
    await expect.poll(() => page.getByTestId('move-plan').textContent()).toMatch(/^2 files, .* from Studio to Archive\.$/);
  });

  it('is the landing screen once files exist', async () => {
    await page.goto(page.url().split('#')[0]!);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/gallery');
    await expect.poll(total).toBe('5 files');
  });

  it('logged no errors in the page', () => {
    expect(pageProblems()).toEqual([]);
  });
});
