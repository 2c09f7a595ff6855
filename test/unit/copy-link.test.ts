import { describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors';
import { copyFileLink, type LinkSource } from '../../src/main/copy-link';
import type { LinkResult } from '../../src/shared/ipc/contract';

function clipboard() {
  const texts: string[] = [];
  return { texts, writeText: (text: string) => void texts.push(text) };
}

describe('copy a file\'s link', () => {
  it('asks the log facet for that file\'s link and puts it on the clipboard', async () => {
    const asked: number[] = [];
    const log: LinkSource = { link: async (id) => (asked.push(id), { url: `https://cdn.example/${id}.png` } as LinkResult) };
    const board = clipboard();
    expect(await copyFileLink(log, board, 4)).toBe(true);
    expect(asked).toEqual([4]);
    expect(board.texts).toEqual(['https://cdn.example/4.png']);
  });

  it('copies nothing, and does not throw, when no link can be made now', async () => {
    const log: LinkSource = {
      link: async () => {
        throw new CoreError('provider-gone', 'its provider was removed', 'Add the provider again.');
      },
    };
    const board = clipboard();
    expect(await copyFileLink(log, board, 4)).toBe(false);
    expect(board.texts).toEqual([]);
  });
});
