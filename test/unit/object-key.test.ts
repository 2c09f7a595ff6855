import { describe, expect, it } from 'vitest';
import { buildKey, KeyError, publicUrlFor, suffixedKey } from '../../src/core/offload/object-key';

const base = { prefix: 'results', relPath: 'a/b.png', sha256: 'abcdef0123456789', mtimeMs: Date.UTC(2026, 10, 23, 12) };

describe('object keys', () => {
  it('is prefix + relative path with forward slashes', () => {
    expect(buildKey(base)).toBe('results/a/b.png');
    expect(buildKey({ ...base, relPath: 'a\\win\\c.png' })).toBe('results/a/win/c.png');
    expect(buildKey({ ...base, prefix: '/studio//renders/' })).toBe('studio/renders/a/b.png');
    expect(buildKey({ ...base, prefix: '' })).toBe('a/b.png');
  });

  it('normalises names to Unicode NFC, so NFD and NFC names get one key', () => {
    const nfd = 'cafe\u0301.png';
    expect(buildKey({ ...base, relPath: nfd })).toBe('results/caf\u00e9.png');
    expect(buildKey({ ...base, relPath: nfd })).toBe(buildKey({ ...base, relPath: 'caf\u00e9.png' }));
  });

  it('keeps hostile but legal names as they are: spaces, emoji, #?%+&, leading dots', () => {
    expect(buildKey({ ...base, relPath: 'my shots/🐱 #1?%+&.png' })).toBe('results/my shots/🐱 #1?%+&.png');
  });

  it('never lets a path or template escape the prefix', () => {
    expect(() => buildKey({ ...base, relPath: '../outside.png' })).toThrow(KeyError);
    expect(() => buildKey({ ...base, relPath: 'a/./b.png' })).toThrow(/"\." segment/);
    expect(() => buildKey({ ...base, template: '../../{relpath}' })).toThrow(/escape the key prefix/);
    expect(() => buildKey({ ...base, prefix: 'ok/../..' })).toThrow(KeyError);
  });

  it('expands templates', () => {
    expect(buildKey({ ...base, template: '{prefix}/{yyyy}/{mm}/{dd}/{relpath}' })).toBe('results/2026/11/23/a/b.png');
    expect(buildKey({ ...base, template: '{name}-{hash8}.{ext}' })).toBe('results/b-abcdef01.png');
    expect(() => buildKey({ ...base, template: '{nope}' })).toThrow(/unknown token \{nope\}/);
  });

  it('refuses keys longer than 1024 bytes, naming the file', () => {
    expect(() => buildKey({ ...base, relPath: `${'d'.repeat(200)}/`.repeat(6) + 'x.png' })).toThrow(/bytes; S3 allows 1024/);
  });

  it('makes keep-both names and public URLs', () => {
    expect(suffixedKey('results/a/b.png', 2)).toBe('results/a/b-2.png');
    expect(suffixedKey('results/README', 1)).toBe('results/README-1');
    expect(suffixedKey('results/.env', 1)).toBe('results/.env-1');
    expect(publicUrlFor('https://cdn.example.com/', 'results/my shots/#1.png')).toBe('https://cdn.example.com/results/my%20shots/%231.png');
  });
});
