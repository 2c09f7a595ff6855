/** The log's space figures (issue #14 "Space"): what each storage holds, what was freed, what stayed local. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/core/ledger/ledger';
import type { FileState } from '../../src/shared/ledger';

let dir: string;
let ledger: Ledger;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledger-space-'));
  ledger = Ledger.open(join(dir, 'ledger.sqlite'));
});
afterEach(async () => {
  ledger.close();
  await rm(dir, { recursive: true, force: true });
});

const add = (rel: string, size: number, state: FileState, providerId: string | null, errorCode?: string) =>
  ledger.insert({ path: `/w/${rel}`, watchRoot: '/w', relPath: rel, size, mtimeMs: 1, state, providerId, ...(errorCode ? { errorCode } : {}) });

describe('space figures', () => {
  it('sums verified files per storage, the bytes freed here, and the files kept local', () => {
    add('a.png', 100, 'offloaded', 'studio');
    add('b.png', 250, 'local-removed', 'studio');
    add('c.mov', 4_000, 'local-removed', 'archive');
    add('d.png', 7, 'failed', 'studio'); // not verified: not counted as stored
    add('e.png', 30, 'skipped', null, 'existing');
    add('f.png', 12, 'skipped', 'local', 'local');
    add('g.png', 99, 'skipped', null, 'symlink'); // not a file kept on purpose
    expect(ledger.spaceFigures()).toEqual({
      storages: [
        { providerId: 'archive', files: 1, bytes: 4_000, freedBytes: 4_000 },
        { providerId: 'studio', files: 2, bytes: 350, freedBytes: 250 },
      ],
      keptLocal: { files: 2, bytes: 42 },
    });
  });

  it('is empty for an empty log', () => {
    expect(ledger.spaceFigures()).toEqual({ storages: [], keptLocal: { files: 0, bytes: 0 } });
  });
});
