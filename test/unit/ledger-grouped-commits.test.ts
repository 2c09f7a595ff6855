/**
 * The ledger's grouped commits (issue #16 "Fewer ledger commits"): the changes of one turn of the event
 * loop share one transaction. This process reads them at once; another connection (another process:
 * `offload status` while the app runs) sees a turn whole or not at all; a durable change is committed,
 * with everything before it, before the call returns; close commits what is open; and a kill -9 of a
 * process between grouped commits loses only changes no removal relied on, never a part of one change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import type { FileState } from '../../src/shared/ledger';
import { runSourceChild, sourceUrl } from '../support/ts-source-child';

let dir: string;
let file: string;
const open: Ledger[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-groups-'));
  file = join(dir, 'ledger.sqlite');
});
afterEach(async () => {
  for (const ledger of open.splice(0)) ledger.close();
  await rm(dir, { recursive: true, force: true });
});

/** The engine's ledger: grouped commits, as the service opens it. */
const openLedger = (): Ledger => {
  const ledger = Ledger.open(file, { groupCommits: true });
  open.push(ledger);
  return ledger;
};
const add = (ledger: Ledger, name: string, state: FileState = 'queued') => ledger.insert({ path: `/w/${name}`, watchRoot: '/w', relPath: name, size: 1, mtimeMs: 1, state, providerId: 'studio' });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** What another connection sees: each path's state, by name. */
const seenElsewhere = (): Record<string, string> => {
  const other = Ledger.open(file);
  try {
    return Object.fromEntries(other.list().map((r) => [r.relPath, r.state]));
  } finally {
    other.close();
  }
};

describe('grouped commits', () => {
  it("reads a turn's changes back at once here, and another connection sees them whole when the turn ends", async () => {
    const ledger = openLedger();
    const a = add(ledger, 'a.png');
    ledger.transition(a.id, 'uploading', { key: 'results/a.png' });
    add(ledger, 'b.png');
    expect(ledger.get(a.id)).toMatchObject({ state: 'uploading', key: 'results/a.png' });
    expect(ledger.list().map((r) => r.relPath)).toEqual(['b.png', 'a.png']);
    expect(seenElsewhere()).toEqual({});
    await nextTurn();
    expect(seenElsewhere()).toEqual({ 'a.png': 'uploading', 'b.png': 'queued' });
    expect(ledger.timeline(a.id).map((t) => t.state)).toEqual(['queued', 'uploading']);
  });

  it('commits a durable change, and every change before it, before the call returns', () => {
    const ledger = openLedger();
    const a = add(ledger, 'a.png');
    const b = add(ledger, 'b.png');
    ledger.transition(b.id, 'uploading');
    ledger.transition(a.id, 'offloaded', { key: 'results/a.png', sha256: 'ab' }, undefined, { durable: true });
    expect(seenElsewhere()).toEqual({ 'a.png': 'offloaded', 'b.png': 'uploading' });
    // The next change opens a new group.
    ledger.transition(b.id, 'verifying');
    expect(seenElsewhere()).toEqual({ 'a.png': 'offloaded', 'b.png': 'uploading' });
  });

  it('commits the open group on close', () => {
    const ledger = Ledger.open(file, { groupCommits: true });
    add(ledger, 'a.png');
    ledger.close();
    expect(seenElsewhere()).toEqual({ 'a.png': 'queued' });
  });

  it("undoes a change that fails, alone: the turn's other changes stay", async () => {
    const ledger = openLedger();
    const a = add(ledger, 'a.png');
    const b = add(ledger, 'b.png');
    expect(() =>
      ledger.transition(a.id, 'uploading', { key: 'results/a.png' }, undefined, {
        alongside: () => {
          throw new Error('the step that goes with it failed');
        },
      }),
    ).toThrow(/the step that goes with it failed/);
    ledger.transition(b.id, 'uploading');
    expect(ledger.get(a.id)).toMatchObject({ state: 'queued', key: null });
    await nextTurn();
    expect(seenElsewhere()).toEqual({ 'a.png': 'queued', 'b.png': 'uploading' });
    expect(ledger.timeline(a.id).map((t) => t.state)).toEqual(['queued']);
  });

  it('commits each change before returning where changes are not grouped (a short command, a tool)', () => {
    const ledger = Ledger.open(file);
    open.push(ledger);
    const a = add(ledger, 'a.png');
    ledger.transition(a.id, 'uploading');
    expect(seenElsewhere()).toEqual({ 'a.png': 'uploading' });
    expect(() => ledger.transition(a.id, 'verifying', {}, undefined, { alongside: () => { throw new Error('refused'); } })).toThrow(/refused/);
    // A failed change leaves no transaction open (the write lock is not held): another writer gets in.
    const other = Ledger.open(file);
    try {
      other.transition(a.id, 'failed');
    } finally {
      other.close();
    }
    expect(ledger.get(a.id)?.state).toBe('failed');
  });

  it('writes the moves journal and other records in the same group, and alongside a durable change', () => {
    const ledger = openLedger();
    const a = add(ledger, 'a.png', 'offloaded');
    ledger.moves.begin({ fileId: a.id, from: 'studio', to: 'archive', deleteSource: true, fromBucket: 'b', fromKey: 'results/a.png' });
    ledger.transition(a.id, 'offloaded', { providerId: 'archive', key: 'moved/a.png' }, 'moved', { durable: true, alongside: () => ledger.moves.markCopied(a.id) });
    const other = Ledger.open(file);
    try {
      expect(other.moves.get(a.id)).toMatchObject({ phase: 'copied' });
      expect(other.get(a.id)).toMatchObject({ providerId: 'archive', key: 'moved/a.png' });
    } finally {
      other.close();
    }
  });
});

describe('kill -9 between grouped commits', () => {
  const ledgerUrl = sourceUrl('src/core/ledger/ledger.ts');
  /** A child that opens the ledger, runs `body`, and is killed (SIGKILL) right after it, mid-turn. */
  const script = (body: string): string => `
import { Ledger } from ${JSON.stringify(ledgerUrl)};
const ledger = Ledger.open(${JSON.stringify(file)}, { groupCommits: true });
const add = (name) => ledger.insert({ path: '/w/' + name, watchRoot: '/w', relPath: name, size: 1, mtimeMs: 1, state: 'queued', providerId: 'studio' });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
${body}
process.kill(process.pid, 'SIGKILL');
`;

  /** Each row's state agrees with its timeline's last line: no change is ever half there. */
  const expectWholeChanges = (ledger: Ledger): void => {
    for (const row of ledger.list()) expect(ledger.timeline(row.id).at(-1)?.state, row.relPath).toBe(row.state);
  };

  it('keeps a durable state (what a local removal relies on) and everything before it; loses only the open group', async () => {
    const child = await runSourceChild(
      dir,
      script(`
const a = add('a.png');
await nextTurn();
ledger.transition(a.id, 'uploading', { bucket: 'b' });
const b = add('b.png');
ledger.transition(a.id, 'verifying', { key: 'results/a.png' });
ledger.transition(a.id, 'offloaded', { key: 'results/a.png', sha256: 'ab' }, undefined, { durable: true });
// The local removal would start here; killed before this turn ends.
ledger.transition(b.id, 'uploading');
add('c.png');
`),
    );
    expect(child, child.stderr).toMatchObject({ signal: 'SIGKILL' });
    const ledger = Ledger.open(file);
    open.push(ledger);
    expect(Object.fromEntries(ledger.list().map((r) => [r.relPath, r.state]))).toEqual({ 'a.png': 'offloaded', 'b.png': 'queued' });
    expect(ledger.latestForPath('/w/a.png')).toMatchObject({ key: 'results/a.png', sha256: 'ab', bucket: 'b' });
    expect(ledger.timeline(ledger.latestForPath('/w/a.png')!.id).map((t) => t.state)).toEqual(['queued', 'uploading', 'verifying', 'offloaded']);
    expectWholeChanges(ledger);
  });

  it('loses at most the open turn of non-durable changes, each change whole or not at all', async () => {
    const child = await runSourceChild(
      dir,
      script(`
const a = add('a.png');
const b = add('b.png');
await nextTurn();
ledger.transition(a.id, 'uploading');
await nextTurn();
ledger.transition(a.id, 'verifying', { key: 'results/a.png' });
ledger.transition(b.id, 'uploading');
ledger.patch(b.id, { uploadId: 'u-1', key: 'results/b.png', partSize: 8 });
`),
    );
    expect(child, child.stderr).toMatchObject({ signal: 'SIGKILL' });
    const ledger = Ledger.open(file);
    open.push(ledger);
    expect(Object.fromEntries(ledger.list().map((r) => [r.relPath, r.state]))).toEqual({ 'a.png': 'uploading', 'b.png': 'queued' });
    expect(ledger.latestForPath('/w/a.png')?.key).toBeNull();
    expect(ledger.multipartOf(ledger.latestForPath('/w/b.png')!.id)).toBeNull();
    expectWholeChanges(ledger);
  });
});
