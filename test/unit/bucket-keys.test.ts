/**
 * The bucket view's key rules (src/shared/bucket.ts listingPrefix, src/core/facets/bucket.ts
 * keySegments): which prefix is listed, and which keys can become a file in the watch folder when added
 * to the library — never one outside the prefix, a folder marker, or one that would climb out of it.
 */
import { describe, expect, it } from 'vitest';
import { keySegments } from '../../src/core/facets/bucket';
import { CoreError } from '../../src/core/errors';
import { listingPrefix } from '../../src/shared/bucket';

const refusal = (key: string, prefix: string): { code: string; message: string } | null => {
  try {
    keySegments(key, prefix, 'studio');
    return null;
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    return { code: error.code, message: error.message };
  }
};

describe('listingPrefix', () => {
  it('lists what the engine writes under the key prefix: its segments with a closing slash', () => {
    expect(listingPrefix('')).toBe('');
    expect(listingPrefix('results')).toBe('results/');
    expect(listingPrefix('/renders//2026/')).toBe('renders/2026/');
    expect(listingPrefix('a\\b')).toBe('a/b/');
    // The engine writes keys in NFC: the listing asks for the same spelling.
    expect(listingPrefix('cafe\u0301')).toBe('caf\u00e9/');
  });
});

describe('keySegments', () => {
  it('gives the path below the prefix as segments', () => {
    expect(keySegments('results/day 1/a.png', 'results/', 'studio')).toEqual(['day 1', 'a.png']);
    expect(keySegments('a.png', '', 'studio')).toEqual(['a.png']);
  });

  it('refuses a key outside the prefix, naming the key, the prefix and the provider', () => {
    expect(refusal('results-old/a.png', 'results/')).toEqual({ code: 'outside-prefix', message: expect.stringContaining('"results-old/a.png" is not under the key prefix "results/" of provider "studio"') });
    expect(refusal('results/', 'results/')?.code).toBe('outside-prefix');
  });

  it('refuses folder markers and keys that would not stay a plain name in the watch folder', () => {
    expect(refusal('results/folder/', 'results/')?.code).toBe('not-a-file');
    for (const key of ['results/../etc/passwd', 'results/./a.png', 'results//a.png', 'results/a\\..\\b.png', 'results/a\u0000.png']) {
      expect(refusal(key, 'results/')?.code, key).toBe('unsafe-key');
    }
  });
});
