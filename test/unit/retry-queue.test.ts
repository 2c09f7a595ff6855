/**
 * Retry with no engine running (the `offload` command, issue #14): failed rows — each path's newest
 * version, in a watch folder — are marked queued with their attempts reset, under the one-offloader
 * lock; a named file must be failed or in conflict. And the ledger's part of removing a provider: how
 * many files it holds, and forgetting them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import { OffloaderLock } from '../../src/core/ledger/offloader-lock';
import { OffloadService } from '../../src/core/service';
import type { FileState } from '../../src/shared/ledger';
import { MemorySecretStore } from '../support/memory-secrets';

let dir: string;
let watchDir: string;
let settingsFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offload-retry-'));
  watchDir = join(dir, 'results');
  await mkdir(watchDir);
  settingsFile = join(dir, 'settings.json');
  await writeFile(settingsFile, JSON.stringify({ watchFolders: [{ path: watchDir }], activeStorage: 'local', providers: [{ id: 'lab', type: 'minio', bucket: 'b', endpoint: 'http://127.0.0.1:9' }] }));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Writes rows straight into the ledger, as earlier runs would have left them. */
function seed(rows: { rel: string; state: FileState; root?: string; providerId?: string }[]): number[] {
  const ledger = Ledger.open(join(dir, 'ledger.sqlite'));
  try {
    return rows.map(({ rel, state, root = watchDir, providerId = 'lab' }) => ledger.insert({ path: join(root, rel), watchRoot: root, relPath: rel, size: 1, mtimeMs: 1, state, providerId, attempts: 5, lastError: 'boom', errorCode: 'bad-secret' }).id);
  } finally {
    ledger.close();
  }
}

const open = () => OffloadService.open({ settingsFile, secrets: new MemorySecretStore() });

describe('retry with no engine running', () => {
  it('retryFailed queues each path\'s newest failed version in a watch folder, attempts and error reset', async () => {
    const [oldA, newA, b, , , e] = seed([
      { rel: 'a.png', state: 'failed' },
      { rel: 'a.png', state: 'failed' },
      { rel: 'b.png', state: 'failed' },
      { rel: 'c.png', state: 'conflict' },
      { rel: 'd.png', state: 'failed', root: join(dir, 'gone') },
      { rel: 'e.png', state: 'failed', providerId: 'local' },
      { rel: 'f.png', state: 'failed', providerId: 'removed-since' },
    ]);
    const service = await open();
    try {
      const changed: number[] = [];
      service.events.on('fileChanged', (row) => changed.push(row.id));
      const rows = service.queue.retryFailed();
      expect(rows.map((r) => r.id)).toEqual([newA, b]);
      expect(rows.every((r) => r.state === 'queued' && r.attempts === 0 && r.lastError === null && r.errorCode === null)).toBe(true);
      expect(changed).toEqual([newA, b]);
      expect(service.log.row(oldA!).state).toBe('failed');
      expect(service.log.row(e!).state).toBe('failed');
      expect(service.queue.retryFailed()).toEqual([]);
    } finally {
      await service.close();
    }
  });

  it('retryPaths takes a conflict by name, and refuses a file that is neither failed nor in conflict, changing nothing', async () => {
    const [c, ok] = seed([
      { rel: 'c.png', state: 'conflict' },
      { rel: 'ok.png', state: 'offloaded' },
      { rel: 'gone.png', state: 'failed', providerId: 'removed-since' },
    ]);
    const service = await open();
    try {
      await expect(async () => service.queue.retryPaths([join(watchDir, 'c.png'), join(watchDir, 'ok.png')])).rejects.toMatchObject({ code: 'not-retryable', message: `${join(watchDir, 'ok.png')} is offloaded: only failed files and conflicts can be retried` });
      expect(service.log.row(c!).state).toBe('conflict');
      await expect(async () => service.queue.retryPaths([join(watchDir, 'nope.png')])).rejects.toMatchObject({ code: 'not-tracked' });
      await expect(async () => service.queue.retryPaths([join(watchDir, 'gone.png')])).rejects.toMatchObject({ code: 'not-retryable', message: expect.stringContaining('provider "removed-since", which is no longer configured') });
      expect(service.queue.retryPaths([join(watchDir, 'c.png')]).map((r) => [r.id, r.state])).toEqual([[c, 'queued']]);
      expect(service.log.row(ok!).state).toBe('offloaded');
      expect(service.queue.retry(c!)).toBe(false); // queued now: nothing to retry
    } finally {
      await service.close();
    }
  });

  it('refuses while another offloader holds the log', async () => {
    const [a] = seed([{ rel: 'a.png', state: 'failed' }]);
    const other = new OffloaderLock(join(dir, 'ledger.sqlite.lock'), 'the Offload Companion app');
    const service = await open();
    try {
      // A live holder on this host: our own process id stands in for the app.
      other.acquire();
      expect(() => service.queue.retryFailed()).toThrow(expect.objectContaining({ code: 'offloader-running' }));
      expect(service.log.row(a!).state).toBe('failed');
    } finally {
      other.release();
      await service.close();
    }
  });
});

describe('what a provider holds', () => {
  it('counts verified copies, and forgetting drops every row of the provider with its history', () => {
    const ledger = Ledger.open(join(dir, 'ledger.sqlite'));
    try {
      const base = { watchRoot: watchDir, size: 1, mtimeMs: 1 };
      const held = ['offloaded', 'local-removed', 'failed', 'remote-deleted'] as const;
      const ids = held.map((state, i) => ledger.insert({ ...base, path: join(watchDir, `${i}`), relPath: `${i}`, state, providerId: 'old' }).id);
      const other = ledger.insert({ ...base, path: join(watchDir, 'x'), relPath: 'x', state: 'offloaded', providerId: 'new' }).id;
      ledger.transition(ids[0]!, 'offloaded', {}, 'again');
      expect(ledger.heldBy('old')).toBe(2);
      expect(ledger.forgetProvider('old')).toBe(4);
      expect(ledger.heldBy('old')).toBe(0);
      expect(ids.map((id) => ledger.get(id))).toEqual([null, null, null, null]);
      expect(ledger.timeline(ids[0]!)).toEqual([]);
      expect(ledger.get(other)?.state).toBe('offloaded');
    } finally {
      ledger.close();
    }
  });
});
