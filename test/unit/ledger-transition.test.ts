/**
 * A state change (Ledger.transition) in one statement: the time of each state is kept beside the earlier
 * ones, the record it answers with is the row as stored, and a row that is gone is refused without a
 * line in any timeline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';

let dir: string;
let ledger: Ledger;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-transition-'));
  ledger = Ledger.open(join(dir, 'ledger.sqlite'));
});
afterEach(async () => {
  vi.useRealTimers();
  ledger.close();
  await rm(dir, { recursive: true, force: true });
});

it('keeps the time of every state, sets the fields given, and answers with the row as stored', () => {
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
  const row = ledger.insert({ path: '/w/a.png', watchRoot: '/w', relPath: 'a.png', size: 3, mtimeMs: 1, state: 'detected' });
  vi.setSystemTime(1_700_000_000_500);
  ledger.transition(row.id, 'uploading', { attempts: 1, bucket: 'renders' });
  vi.setSystemTime(1_700_000_001_000);
  const offloaded = ledger.transition(row.id, 'offloaded', { key: 'a.png', sha256: 'ab'.repeat(32), lastError: null }, 'verified');
  expect(offloaded).toEqual(ledger.get(row.id));
  expect(offloaded).toMatchObject({ state: 'offloaded', attempts: 1, bucket: 'renders', key: 'a.png', updatedAt: 1_700_000_001_000 });
  expect(offloaded.timestamps).toEqual({ detected: 1_700_000_000_000, uploading: 1_700_000_000_500, offloaded: 1_700_000_001_000 });
  // A state reached again keeps its latest time, in its place.
  vi.setSystemTime(1_700_000_002_000);
  expect(ledger.transition(row.id, 'uploading').timestamps).toEqual({ detected: 1_700_000_000_000, uploading: 1_700_000_002_000, offloaded: 1_700_000_001_000 });
  expect(ledger.timeline(row.id).map((t) => [t.state, t.detail])).toEqual([
    ['detected', null],
    ['uploading', null],
    ['offloaded', 'verified'],
    ['uploading', null],
  ]);
  ledger.close();
  // Stored as whole milliseconds, as an inserted row's are (readers other than this class parse it too).
  const db = new DatabaseSync(join(dir, 'ledger.sqlite'));
  expect((db.prepare('SELECT timestamps FROM files WHERE id = ?').get(row.id) as { timestamps: string }).timestamps).toBe('{"detected":1700000000000,"uploading":1700000002000,"offloaded":1700000001000}');
  db.close();
  ledger = Ledger.open(join(dir, 'ledger.sqlite'));
});

it('refuses a row that is gone, and writes nothing for it', () => {
  const row = ledger.insert({ path: '/w/a.png', watchRoot: '/w', relPath: 'a.png', size: 3, mtimeMs: 1, state: 'detected' });
  expect(() => ledger.transition(row.id + 1, 'uploading')).toThrow(expect.objectContaining({ code: 'not-tracked' }));
  expect(ledger.timeline(row.id + 1)).toEqual([]);
  expect(ledger.get(row.id)?.state).toBe('detected');
});
