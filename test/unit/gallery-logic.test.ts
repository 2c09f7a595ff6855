/**
 * The gallery's logic without a window (issue #18): what its filter controls ask the log for, how a
 * selection grows and moves under the keyboard, what "copy links", "bring back" and "move" do with a
 * selection (with stand-in commands), and the move route that carries a selection.
 */
import { describe, expect, it } from 'vitest';
import { dayStart, galleryFilter, hasGalleryFiles, noControls } from '../../src/renderer/src/features/gallery/gallery-filter';
import { bringBackAll, copyLinks, moveOfSelection } from '../../src/renderer/src/features/gallery/selection-actions';
import { emptySelection, movedIndex, rangeBetween, refreshed, toggled, withRows } from '../../src/renderer/src/features/gallery/selection';
import { columnsFor } from '../../src/renderer/src/features/gallery/grid-geometry';
import { hrefFor, parseRoute } from '../../src/renderer/src/lib/router';
import type { FileRecord, FileState } from '../../src/shared/ledger';

const row = (id: number, state: FileState, providerId: string | null = 'studio'): FileRecord => ({
  id,
  path: `/w/file-${id}.png`,
  watchRoot: '/w',
  relPath: `file-${id}.png`,
  size: 1,
  mtimeMs: 1,
  sha256: null,
  state,
  providerId,
  bucket: 'b',
  key: `file-${id}.png`,
  url: null,
  attempts: 1,
  lastError: null,
  errorCode: null,
  timestamps: {},
  updatedAt: 1,
});

describe('the gallery filter', () => {
  it('shows offloaded, removed-here and failed files when nothing is chosen', () => {
    expect(galleryFilter(noControls)).toEqual({ states: ['offloaded', 'local-removed', 'failed'] });
  });

  it('turns each control into its part of the query', () => {
    const filter = galleryFilter({ search: '  castle ', watchRoot: '/renders', providerId: 'studio', kind: 'video', state: 'local-removed', from: '2024-03-05', to: '2024-03-06' });
    expect(filter).toEqual({
      states: ['local-removed'],
      search: 'castle',
      watchRoot: '/renders',
      providerId: 'studio',
      kinds: ['video'],
      since: new Date(2024, 2, 5).getTime(),
      until: new Date(2024, 2, 7).getTime() - 1,
    });
  });

  it('reads a day range given backwards the right way round, and ignores a malformed day', () => {
    const filter = galleryFilter({ ...noControls, from: '2024-03-06', to: '2024-03-05' });
    expect(filter.since).toBe(new Date(2024, 2, 5).getTime());
    expect(filter.until).toBe(new Date(2024, 2, 7).getTime() - 1);
    expect(dayStart('5 March')).toBeNull();
    expect(galleryFilter({ ...noControls, to: 'nonsense' })).toEqual({ states: ['offloaded', 'local-removed', 'failed'] });
  });
});

describe('selection', () => {
  it('toggles, adds ranges, and keeps records fresh', () => {
    const a = row(1, 'offloaded');
    const b = row(2, 'local-removed');
    let selection = toggled(emptySelection, a);
    expect([...selection.keys()]).toEqual([1]);
    selection = withRows(selection, [a, b]);
    expect([...selection.keys()]).toEqual([1, 2]);
    const back = { ...b, state: 'offloaded' as const };
    expect(refreshed(selection, back).get(2)?.state).toBe('offloaded');
    expect(refreshed(selection, row(9, 'failed'))).toBe(selection);
    expect([...toggled(selection, a).keys()]).toEqual([2]);
    expect(rangeBetween(7, 3)).toEqual({ first: 3, last: 7 });
  });

  it('moves focus across the grid with arrows, Page keys, Home and End, within its ends', () => {
    // 4 columns, 10 files, 2 rows a page.
    expect(movedIndex('ArrowRight', 0, 4, 10, 2)).toBe(1);
    expect(movedIndex('ArrowDown', 1, 4, 10, 2)).toBe(5);
    expect(movedIndex('ArrowDown', 7, 4, 10, 2)).toBe(9);
    expect(movedIndex('ArrowUp', 2, 4, 10, 2)).toBe(0);
    expect(movedIndex('PageDown', 0, 4, 10, 2)).toBe(8);
    expect(movedIndex('End', 0, 4, 10, 2)).toBe(9);
    expect(movedIndex('Home', 6, 4, 10, 2)).toBe(0);
    expect(movedIndex('Enter', 6, 4, 10, 2)).toBeNull();
    expect(columnsFor(0)).toBe(1);
    expect(columnsFor(705)).toBe(3); // four tiles of 164 px, three gaps of 10 and 10 each side need 706
    expect(columnsFor(706)).toBe(4);
  });
});

describe('actions on a selection', () => {
  it('copies every link in one clipboard write, newest first, one a line, leaving out files not in a bucket', async () => {
    const copied: string[] = [];
    const toast = await copyLinks([row(1, 'offloaded'), row(3, 'local-removed'), row(2, 'failed')], {
      link: async (id) => `https://cdn.example/file-${id}.png`,
      copy: async (text) => void copied.push(text),
    });
    expect(copied).toEqual(['https://cdn.example/file-3.png\nhttps://cdn.example/file-1.png']);
    expect(toast).toEqual({ tone: 'success', title: 'Copied 2 links', lines: ['1 file without a copy in a bucket left out.'] });
  });

  it('names a link it could not get, and copies nothing when none can be had', async () => {
    const copied: string[] = [];
    const deps = {
      link: async (id: number) => {
        if (id === 2) throw new Error('the provider is gone');
        return `u${id}`;
      },
      copy: async (text: string) => void copied.push(text),
    };
    expect(await copyLinks([row(1, 'offloaded'), row(2, 'offloaded')], deps)).toEqual({ tone: 'warning', title: 'Copied 1 link', lines: ['file-2.png: the provider is gone'] });
    expect(copied).toEqual(['u1']);
    expect((await copyLinks([row(5, 'failed')], deps)).title).toBe('No links copied');
    expect(copied).toHaveLength(1);
  });

  it('brings back each removed file once, sums up, and says which failed and why', async () => {
    const asked: number[] = [];
    const toast = await bringBackAll([row(1, 'local-removed'), row(2, 'offloaded'), row(3, 'local-removed'), row(4, 'local-removed')], async (id) => {
      asked.push(id);
      if (id === 3) throw new Error('the bucket no longer has it');
      return { path: `/w/file-${id}.png`, keptOther: id === 1 };
    });
    expect(asked).toEqual([4, 3, 1]);
    expect(toast).toEqual({
      tone: 'warning',
      title: 'Brought back 2 files',
      lines: ['Brought back beside a different file with the same name: file-1.png', '1 file still here left alone.', 'file-3.png: the bucket no longer has it'],
    });
  });

  it('moves a selection from one storage, and refuses one spanning storages naming them', () => {
    expect(moveOfSelection([row(3, 'offloaded'), row(1, 'local-removed'), row(2, 'failed')], (id) => id)).toEqual({ source: 'studio', ids: [1, 3], leftOut: 1 });
    const refused = moveOfSelection([row(1, 'offloaded', 'studio'), row(2, 'offloaded', 'archive')], (id) => id.toUpperCase());
    expect(refused).toEqual({ refused: expect.objectContaining({ tone: 'error', title: 'Move not started' }) });
    expect('refused' in refused && refused.refused.lines?.[0]).toBe('The selection is in 2 storages (ARCHIVE, STUDIO); a move takes files from one.');
  });
});

describe('routes', () => {
  it('carries a selection to the move screen and back out of the address', () => {
    expect(hrefFor({ page: 'move', source: 'studio', ids: [1, 2, 3] })).toBe('#/move/studio?ids=1,2,3');
    expect(parseRoute('#/move/studio?ids=1,2,3')).toEqual({ page: 'move', source: 'studio', ids: [1, 2, 3] });
    expect(parseRoute('#/move/studio?ids=x,-1')).toEqual({ page: 'move', source: 'studio' });
    expect(parseRoute('#/gallery')).toEqual({ page: 'gallery' });
    expect(hrefFor({ page: 'gallery' })).toBe('#/gallery');
  });

  it('lands on the gallery only when the log holds a file it shows', () => {
    expect(hasGalleryFiles({ total: 3, byState: { skipped: 2, queued: 1 } })).toBe(false);
    expect(hasGalleryFiles({ total: 1, byState: { 'local-removed': 1 } })).toBe(true);
  });
});
