/**
 * "Bring back" in the log's file details (issue #14), in Chromium over the real command table, with the
 * engine running: a file the engine removed locally comes back with its bytes and mtime, the row says
 * `offloaded` again, and the running watcher neither uploads it again nor removes it again.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../support/engine-harness';
import { exists } from '../support/files';
import { closeLabSession, offloadToLab } from '../support/lab-provider';
import { dismissToasts, goTo, openWindowSession, type WindowSession } from '../support/window-session';

const providerId = 'bring-back-bucket';
let session: WindowSession;

describe('bringing a file back from the log, in the window', () => {
  beforeAll(async () => {
    session = await openWindowSession('restore', { viewport: { width: 1100, height: 720 } });
  });
  afterAll(() => closeLabSession(session, providerId));

  it('brings back a locally removed file; the running engine leaves it alone', async () => {
    const { service, bucket, watchDir, page } = session;
    // Local copies leave as soon as the bucket's copy is verified (the retention policy, issue #19).
    await service.settings.saveRetention({ rightAway: true, afterDays: null, lowSpace: null, moveToTrash: false });
    await offloadToLab(session, providerId);
    const bytes = randomBytes(60_000);
    const path = join(watchDir, 'plate-0007.exr');
    await writeFile(path, bytes);
    await expect.poll(() => service.log.latestForPath(path)?.state, { timeout: 30_000 }).toBe('local-removed');
    const row = service.log.latestForPath(path)!;
    expect(await exists(path)).toBe(false);

    await goTo(page, '#/log');
    await dismissToasts(page);
    await page.getByTestId('log-row').filter({ hasText: 'plate-0007.exr' }).click();
    await page.getByRole('button', { name: 'Bring back' }).click();
    await expect.poll(() => page.getByTestId('toast-success').last().textContent()).toContain('Brought back plate-0007.exr');
    await expect.poll(() => page.getByTestId('detail-state').textContent()).toBe('offloaded');
    await expect
      .poll(() => page.getByRole('list', { name: 'Timeline' }).textContent())
      .toContain(`restored from ${bucket}/${row.key}`);
    expect(await page.getByRole('button', { name: 'Bring back' }).count()).toBe(0);
    expect(sha256(await readFile(path))).toBe(sha256(bytes));
    expect(Math.abs((await stat(path)).mtimeMs - row.mtimeMs)).toBeLessThan(0.01);

    // Well past the settle window: the watcher saw the file come back and did nothing with it.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await exists(path)).toBe(true);
    expect(service.log.list().filter((r) => r.relPath === 'plate-0007.exr')).toEqual([
      expect.objectContaining({ id: row.id, state: 'offloaded', errorCode: 'restored' }),
    ]);
    expect(session.problems).toEqual([]);
  });
});
