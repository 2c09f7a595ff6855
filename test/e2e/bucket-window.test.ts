/**
 * The bucket view in the window (issue #18), in Chromium over the real command table against Ceph RGW:
 * from a provider's page, "Bucket contents" lists what the bucket holds under its key prefix — the file
 * this machine offloaded marked "In your library", an object another client put there (a PutObject with
 * the lab's own S3 client, not through the app) not — and "Add to library" makes that object a
 * remote-only file in the log, whose link works. The screen is saved as a screenshot (screenshotFile).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/engine-harness';
import { closeLabSession, offloadToLab } from '../support/lab-provider';
import { dismissToasts, goTo, openWindowSession, screenshotFile, type WindowSession } from '../support/window-session';

const providerId = `bucket-view-${process.pid}`;
let session: WindowSession;

describe('the bucket view, in the window', () => {
  beforeAll(async () => {
    session = await openWindowSession('bucket', { viewport: { width: 1100, height: 720 } });
  });
  afterAll(() => closeLabSession(session, providerId));

  it('lists an object another client uploaded next to ours, and adds it to the library', async () => {
    const { service, lab, bucket, watchDir, page } = session;
    await offloadToLab(session, providerId, { label: 'Studio bucket', keyPrefix: 'renders' });
    await writeFile(join(watchDir, 'castle-01.png'), randomBytes(4_000));
    await expect.poll(() => service.log.latestForPath(join(watchDir, 'castle-01.png'))?.state, { timeout: 30_000 }).toBe('offloaded');
    // Another machine's upload: straight to the bucket with the lab's client, never through the app.
    const theirs = randomBytes(12_000);
    await lab.client().send(new PutObjectCommand({ Bucket: bucket, Key: 'renders/castle-02.png', Body: theirs }));

    await goTo(page, `#/providers/${providerId}`);
    await dismissToasts(page);
    await page.getByRole('link', { name: 'Bucket contents' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/bucket/${providerId}`);
    await page.getByRole('heading', { name: 'Bucket contents: Studio bucket' }).waitFor();
    const row = (name: string) => page.getByTestId('bucket-row').filter({ hasText: name });
    await expect.poll(() => page.getByTestId('bucket-row').count(), { timeout: 30_000 }).toBe(2);
    expect(await row('castle-01.png').textContent()).toContain('In your library');
    expect(await row('castle-02.png').textContent()).toContain('Not in library');
    expect(await page.getByTestId('bucket-total').textContent()).toMatch(/^2 objects, 1 in your library · read /);
    // Only the object the library lacks can be chosen.
    expect(await row('castle-01.png').getByRole('checkbox').count()).toBe(0);

    await page.getByRole('checkbox', { name: 'Select renders/castle-02.png' }).check();
    const add = page.getByRole('button', { name: 'Add 1 file to library' });
    expect(await add.isEnabled()).toBe(true);
    await page.screenshot({ path: screenshotFile('bucket-view') });

    await add.click();
    await expect.poll(() => page.getByTestId('toast-success').last().textContent()).toContain('Added 1 file to the library');
    await expect.poll(() => row('castle-02.png').textContent()).toContain('In your library');
    expect(await page.getByRole('button', { name: 'Add to library' }).isDisabled()).toBe(true);

    const adopted = service.log.list().find((r) => r.key === 'renders/castle-02.png')!;
    expect(adopted).toMatchObject({ state: 'local-removed', errorCode: 'adopted', path: join(watchDir, 'castle-02.png'), sha256: sha256(theirs), size: theirs.length });
    const link = await service.log.link(adopted.id);
    expect(sha256(Buffer.from(await (await fetch(link.url)).arrayBuffer()))).toBe(sha256(theirs));

    // Refresh reads the bucket again; both stay marked.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('bucket-total').textContent()).toMatch(/^2 objects, 2 in your library · read /);
    for (const name of ['castle-01.png', 'castle-02.png']) expect(await row(name).textContent(), name).toContain('In your library');
    expect(session.problems).toEqual([]);
  });
});
