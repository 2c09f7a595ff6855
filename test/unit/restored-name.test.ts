/** The name a restored copy takes beside a different file (src/core/offload/restore.ts). */
import { describe, expect, it } from 'vitest';
import { restoredName, restoringName } from '../../src/core/offload/restore';
import { createPathFilter } from '../../src/core/watch/path-filter';

describe('restoredName', () => {
  it('puts " (restored)" before the extension, then numbers further copies', () => {
    expect(restoredName('/w/shots/photo.png', 1)).toBe('/w/shots/photo (restored).png');
    expect(restoredName('/w/shots/photo.png', 2)).toBe('/w/shots/photo (restored 2).png');
    expect(restoredName('/w/shots/photo.png', 12)).toBe('/w/shots/photo (restored 12).png');
  });

  it('keeps only the last extension, and handles names without one', () => {
    expect(restoredName('/w/archive.tar.gz', 1)).toBe('/w/archive.tar (restored).gz');
    expect(restoredName('/w/README', 1)).toBe('/w/README (restored)');
    expect(restoredName('/w/.hidden', 1)).toBe('/w/.hidden (restored)');
  });
});

describe('restoringName', () => {
  it('is a hidden name beside the target that no watcher offloads, and unique per call', () => {
    const a = restoringName('/w/shots/photo.png');
    expect(a).toMatch(/^\/w\/shots\/\.photo\.png\.[0-9a-f]{12}\.offload-restoring$/);
    expect(restoringName('/w/shots/photo.png')).not.toBe(a);
    expect(createPathFilter({ include: [], exclude: [] }).acceptsFile(`shots/${a.split('/').pop()!}`)).toBe(false);
  });

  it('stays within a file name length limit for long names', () => {
    const long = `/w/${'x'.repeat(250)}.png`;
    expect(restoringName(long).split('/').pop()!.length).toBeLessThan(160);
  });
});
