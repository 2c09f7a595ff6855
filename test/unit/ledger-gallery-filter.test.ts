/**
 * The gallery's filters on the ledger (issue #18): watch folder, kind by extension (image / video /
 * other, any letter case), files a move is working on, and all of them with the log's own filters —
 * the same WHERE clause counts and lists, so the grid's height matches its rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger, type ListQuery } from '../../src/core/ledger/ledger';
import { logFilterSchema } from '../../src/shared/ipc/contract';
import type { FileState } from '../../src/shared/ledger';
import { kindOf } from '../../src/shared/media-kinds';

let dir: string;
let ledger: Ledger;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-gallery-'));
  ledger = Ledger.open(join(dir, 'ledger.sqlite'));
  add('/renders', 'castle-01.png', 'offloaded');
  add('/renders', 'castle-02.JPG', 'local-removed');
  add('/renders', 'take-01.mp4', 'offloaded');
  add('/renders', 'notes.txt', 'failed');
  add('/stills', 'sky.webp', 'offloaded');
  add('/stills', 'sky.MOV', 'local-removed');
  add('/stills', 'README', 'offloaded');
  add('/stills', 'png', 'offloaded'); // a name that is an extension, not one that has it
});
afterEach(async () => {
  ledger.close();
  await rm(dir, { recursive: true, force: true });
});

function add(root: string, rel: string, state: FileState): number {
  return ledger.insert({ path: `${root}/${rel}`, watchRoot: root, relPath: rel, size: 1, mtimeMs: 1, state, providerId: 'studio' }).id;
}
const names = (query: ListQuery) => ledger.list(query).map((r) => r.relPath);

describe('gallery filters on the ledger', () => {
  it('narrows to one watch folder', () => {
    expect(names({ watchRoot: '/stills' })).toEqual(['png', 'README', 'sky.MOV', 'sky.webp']);
    expect(ledger.count({ watchRoot: '/renders' })).toBe(4);
    expect(ledger.count({ watchRoot: '/elsewhere' })).toBe(0);
  });

  it('tells images, videos and the rest by extension, in any letter case', () => {
    expect(names({ kinds: ['image'] })).toEqual(['sky.webp', 'castle-02.JPG', 'castle-01.png']);
    expect(names({ kinds: ['video'] })).toEqual(['sky.MOV', 'take-01.mp4']);
    expect(names({ kinds: ['other'] })).toEqual(['png', 'README', 'notes.txt']);
    expect(names({ kinds: ['image', 'video'] })).toHaveLength(5);
    expect(ledger.count({ kinds: ['image', 'video', 'other'] })).toBe(8);
  });

  it('agrees with the window’s own kindOf for every name', () => {
    for (const kind of ['image', 'video', 'other'] as const) {
      for (const name of names({ kinds: [kind] })) expect([name, kindOf(name)]).toEqual([name, kind]);
    }
  });

  it('finds the files a move is working on (an entry in the moves journal), until the entry goes', () => {
    const [sky] = ledger.list({ search: 'sky.webp' });
    expect(ledger.count({ moving: true })).toBe(0);
    ledger.moves.begin({ fileId: sky!.id, from: 'studio', to: 'archive', deleteSource: false, fromBucket: 'b', fromKey: 'sky.webp' });
    expect(names({ moving: true })).toEqual(['sky.webp']);
    expect(ledger.count({ moving: false })).toBe(8);
    ledger.moves.end(sky!.id);
    expect(ledger.count({ moving: true })).toBe(0);
  });

  it('combines with the log’s filters: states, search and folder together', () => {
    const query: ListQuery = { watchRoot: '/renders', kinds: ['image'], states: ['local-removed'], search: 'castle' };
    expect(names(query)).toEqual(['castle-02.JPG']);
    expect(ledger.count(query)).toBe(1);
  });

  it('is part of the IPC filter, which refuses an unknown kind naming the field', () => {
    expect(logFilterSchema.parse({ watchRoot: '/stills', kinds: ['video'], moving: true })).toEqual({ watchRoot: '/stills', kinds: ['video'], moving: true });
    const refused = logFilterSchema.safeParse({ kinds: ['audio'] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['kinds', 0]);
  });
});
