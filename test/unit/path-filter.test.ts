import { describe, expect, it } from 'vitest';
import { createPathFilter } from '../../src/core/watch/path-filter';

describe('watch folder filters', () => {
  const defaults = createPathFilter({ include: [], exclude: [] });

  it.each(['temp_1.png', 'x.tmp', 'clip.mp4.part', 'f.crdownload', 'f.download', '~lock.png', '.DS_Store', '.cache/a.png', 'temp_run/a.png', 'deep/.git/config'])(
    'skips the temporary or hidden name %s',
    (rel) => expect(defaults.acceptsFile(rel)).toBe(false),
  );

  it.each(['a.png', 'renders/2026/clip.mp4', 'my temp.png', 'template.png', 'x.tmp.png'])('offloads %s', (rel) => {
    expect(defaults.acceptsFile(rel)).toBe(true);
  });

  it('applies include patterns to names at any depth, or to paths when they contain a slash', () => {
    const f = createPathFilter({ include: ['*.png', 'video/**/*.mp4'], exclude: [] });
    expect(f.acceptsFile('a/b/c.png')).toBe(true);
    expect(f.acceptsFile('video/x/y.mp4')).toBe(true);
    expect(f.acceptsFile('other/y.mp4')).toBe(false);
    expect(f.acceptsDir('other')).toBe(true);
  });

  it('applies user excludes on top of the defaults', () => {
    const f = createPathFilter({ include: [], exclude: ['*.json', 'drafts/**'] });
    expect(f.acceptsFile('meta.json')).toBe(false);
    expect(f.acceptsFile('drafts/a.png')).toBe(false);
    expect(f.acceptsDir('drafts/sub')).toBe(false);
    expect(f.acceptsFile('final/a.png')).toBe(true);
  });
});
