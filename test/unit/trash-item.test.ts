/**
 * The desktop app's trash (src/main/trash-item.ts) over a recorded stand-in for Electron's shell: the
 * copy the engine set aside reaches shell.trashItem under its original name, from a private dot folder
 * beside it that the watcher never enters; the original name is never written; on any failure the copy
 * is back at its aside name and the error goes on to the caller.
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REMOVING_SUFFIX } from '../../src/core/offload/local-removal';
import { createPathFilter } from '../../src/core/watch/path-filter';
import { TRASH_STAGING_PREFIX, trashWithShell, type TrashShell } from '../../src/main/trash-item';

/** Set to make hard links fail as on FAT or some network shares. */
let noHardLinks = false;
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    link: (from: string, to: string) => (noHardLinks ? Promise.reject(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' })) : fs.link(from, to)),
  };
});

/** Electron's shell as the glue uses it: records each call and what the file held, then "trashes" it. */
class RecordedShell implements TrashShell {
  readonly calls: { path: string; name: string; folder: string; content: string; besideFolder: string[] }[] = [];
  constructor(
    private readonly trashDir: string,
    private readonly behaviour: 'trash' | 'reject' | 'leave' = 'trash',
  ) {}
  async trashItem(path: string): Promise<void> {
    const besideFolder = (await readdir(dirname(dirname(path)))).filter((n) => !n.startsWith(TRASH_STAGING_PREFIX));
    this.calls.push({ path, name: basename(path), folder: basename(dirname(path)), content: await readFile(path, 'utf8'), besideFolder });
    if (this.behaviour === 'reject') throw new Error('Failed to move item to trash');
    if (this.behaviour === 'leave') return;
    // What a trash does on the same disk: a rename.
    await rename(path, join(this.trashDir, basename(path)));
  }
}

let root: string;
let dir: string;
let trashDir: string;
let aside: string;
let original: string;

beforeEach(async () => {
  noHardLinks = false;
  root = await mkdtemp(join(tmpdir(), 'offload-trash-item-'));
  dir = join(root, 'results');
  trashDir = join(root, 'Trash');
  await mkdir(dir);
  await mkdir(trashDir);
  original = join(dir, 'photo.png');
  aside = `${original}${REMOVING_SUFFIX}`;
  await writeFile(aside, 'uploaded version');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('trashing through Electron’s shell', () => {
  it.each([
    ['with hard links', false],
    ['where the file system has no hard links', true],
  ])('hands trashItem the copy under its original name, from a private dot folder beside it, and leaves nothing behind (%s)', async (_name, withoutLinks) => {
    noHardLinks = withoutLinks;
    const shell = new RecordedShell(trashDir);
    await trashWithShell(shell)(aside, original);
    expect(shell.calls).toHaveLength(1);
    const [call] = shell.calls;
    expect(call).toMatchObject({ name: 'photo.png', content: 'uploaded version' });
    expect(call!.folder.startsWith(TRASH_STAGING_PREFIX)).toBe(true);
    expect(dirname(dirname(call!.path))).toBe(dir);
    // With hard links the aside name still holds the file while the trash works (a crash then leaves
    // it for the next start to put back); without, it was renamed into the folder.
    expect(call!.besideFolder).toEqual(withoutLinks ? [] : [basename(aside)]);
    expect(await readFile(join(trashDir, 'photo.png'), 'utf8')).toBe('uploaded version');
    expect(await readdir(dir)).toEqual([]); // no aside copy, no staging folder
  });

  it('never touches a new file saved at the original name meanwhile', async () => {
    await writeFile(original, 'saved during the check');
    const shell = new RecordedShell(trashDir);
    await trashWithShell(shell)(aside, original);
    expect(await readFile(original, 'utf8')).toBe('saved during the check');
    expect(await readFile(join(trashDir, 'photo.png'), 'utf8')).toBe('uploaded version');
    expect(await readdir(dir)).toEqual(['photo.png']);
  });

  it.each([
    ['trashItem rejects', 'reject', /Failed to move item to trash/],
    ['trashItem resolves but the file is still there', 'leave', /the trash did not take .*photo\.png/],
  ] as const)('puts the copy back at its aside name and rethrows when %s', async (_name, behaviour, message) => {
    for (const withoutLinks of [false, true]) {
      noHardLinks = withoutLinks;
      const shell = new RecordedShell(trashDir, behaviour);
      await expect(trashWithShell(shell)(aside, original)).rejects.toThrow(message);
      expect(shell.calls).toHaveLength(1);
      expect(await readdir(dir)).toEqual([basename(aside)]);
      expect(await readFile(aside, 'utf8')).toBe('uploaded version');
      expect(await readdir(trashDir)).toEqual([]);
    }
  });

  it('is a folder the watcher never enters, whatever the include patterns', () => {
    for (const include of [[], ['*.png'], ['**/*']]) {
      const filter = createPathFilter({ include, exclude: [] });
      expect(filter.acceptsDir(`${TRASH_STAGING_PREFIX}a1B2c3`)).toBe(false);
      expect(filter.acceptsFile(`${TRASH_STAGING_PREFIX}a1B2c3/photo.png`)).toBe(false);
      expect(filter.acceptsFile(`renders/${TRASH_STAGING_PREFIX}a1B2c3/photo.png`)).toBe(false);
    }
  });
});
