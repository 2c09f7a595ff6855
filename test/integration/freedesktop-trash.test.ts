/**
 * The core's own freedesktop.org trash (src/core/offload/trash.ts), used by `offload` and headless Linux:
 * the home trash for a file on its disk; for a file on another mount, that mount's `.Trash/$uid` or
 * `.Trash-$uid` with a Path relative to the mount; never a copy across devices; and a removal whose trash
 * fails keeps the file at its original path and says why. The second disk is a tmpfs this test mounts,
 * which needs root: without it those cases are skipped with the reason printed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeLocalCopy, REMOVING_SUFFIX } from '../../src/core/offload/local-removal';
import { moveToFreedesktopTrash } from '../../src/core/offload/trash';
import { digestFile } from '../../src/core/storage/file-digest';
import { LocalFile } from '../../src/core/storage/local-file';

const uid = process.getuid?.() ?? -1;
const notRoot = uid !== 0 ? 'mounting a second disk (tmpfs) needs root' : null;
if (process.platform !== 'linux') console.warn('skipping the freedesktop trash tests: Linux only');
else if (notRoot) console.warn(`skipping the freedesktop trash tests on a second disk: ${notRoot}`);

const exists = (path: string): Promise<boolean> => lstat(path).then(() => true, () => false);
const trashInfo = (text: string): Record<string, string> => Object.fromEntries(text.split('\n').slice(1).filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));

let root: string;
let env: NodeJS.ProcessEnv;
let home: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'offload-fd-trash-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe.skipIf(process.platform !== 'linux')('freedesktop trash', () => {
  beforeEach(async () => {
    home = await mkdtemp(join(root, 'home-'));
    env = { XDG_DATA_HOME: join(home, 'data') };
  });

  describe('on the home disk', () => {
    it('moves the file into $XDG_DATA_HOME/Trash under its original name, with an absolute Path and a local DeletionDate', async () => {
      const dir = join(home, 'results space');
      await mkdir(dir);
      const aside = join(dir, `shot #1.png${REMOVING_SUFFIX}`);
      await writeFile(aside, 'pixels');
      await moveToFreedesktopTrash(aside, join(dir, 'shot #1.png'), env);
      const trash = join(home, 'data', 'Trash');
      expect(await readFile(join(trash, 'files', 'shot #1.png'), 'utf8')).toBe('pixels');
      const info = trashInfo(await readFile(join(trash, 'info', 'shot #1.png.trashinfo'), 'utf8'));
      expect(decodeURIComponent(info.Path!)).toBe(join(dir, 'shot #1.png'));
      expect(info.Path).toContain('results%20space/shot%20%231.png');
      expect(info.DeletionDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(Math.abs(new Date(info.DeletionDate!).getTime() - Date.now())).toBeLessThan(60_000); // parsed as local time
      expect(await exists(aside)).toBe(false);
    });

    it('gives a second file of the same name a numbered name, never replacing the first', async () => {
      for (const text of ['first', 'second']) {
        const path = join(home, 'frame.png');
        await writeFile(path, text);
        await moveToFreedesktopTrash(path, path, env);
      }
      const files = join(home, 'data', 'Trash', 'files');
      expect((await readdir(files)).sort()).toEqual(['frame.2.png', 'frame.png']);
      expect(await readFile(join(files, 'frame.png'), 'utf8')).toBe('first');
      expect(await readFile(join(files, 'frame.2.png'), 'utf8')).toBe('second');
      expect((await readdir(join(home, 'data', 'Trash', 'info'))).sort()).toEqual(['frame.2.png.trashinfo', 'frame.png.trashinfo']);
    });
  });

  describe.skipIf(notRoot !== null)('on a second disk (a tmpfs mounted here)', () => {
    let mnt: string;

    beforeAll(async () => {
      mnt = join(root, 'mnt');
      await mkdir(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]);
    });
    afterAll(() => {
      execFileSync('umount', [mnt]);
    });
    beforeEach(async () => {
      for (const name of await readdir(mnt)) await rm(join(mnt, name), { recursive: true, force: true });
    });

    const fileOnMount = async (rel: string, text: string): Promise<string> => {
      const path = join(mnt, rel);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, text);
      return path;
    };

    it('is really another device than the home trash (the premise of these cases)', async () => {
      expect((await stat(mnt)).dev).not.toBe((await stat(home)).dev);
    });

    it('moves the file to the mount’s own .Trash-$uid (made private), Path relative to the mount, nothing in the home trash', async () => {
      const path = await fileOnMount('shots/take 1.png', 'on the second disk');
      await moveToFreedesktopTrash(`${path}`, path, env);
      const trash = join(mnt, `.Trash-${uid}`);
      expect(await readFile(join(trash, 'files', 'take 1.png'), 'utf8')).toBe('on the second disk');
      expect((await stat(trash)).mode & 0o777).toBe(0o700);
      const info = trashInfo(await readFile(join(trash, 'info', 'take 1.png.trashinfo'), 'utf8'));
      expect(info.Path).toBe('shots/take%201.png');
      expect(await exists(path)).toBe(false);
      expect(await exists(join(home, 'data', 'Trash'))).toBe(false);
    });

    it('uses the administrator’s $topdir/.Trash/$uid when .Trash is a sticky directory', async () => {
      await mkdir(join(mnt, '.Trash'));
      await chmod(join(mnt, '.Trash'), 0o1777);
      const path = await fileOnMount('a.png', 'shared trash');
      await moveToFreedesktopTrash(path, path, env);
      expect(await readFile(join(mnt, '.Trash', String(uid), 'files', 'a.png'), 'utf8')).toBe('shared trash');
      expect(trashInfo(await readFile(join(mnt, '.Trash', String(uid), 'info', 'a.png.trashinfo'), 'utf8')).Path).toBe('a.png');
      expect(await exists(join(mnt, `.Trash-${uid}`))).toBe(false);
    });

    it('does not trust a .Trash without the sticky bit, or one that is a symbolic link: .Trash-$uid instead', async () => {
      await mkdir(join(mnt, '.Trash'), { mode: 0o777 });
      await chmod(join(mnt, '.Trash'), 0o777);
      const first = await fileOnMount('b.png', 'not sticky');
      await moveToFreedesktopTrash(first, first, env);
      expect(await readFile(join(mnt, `.Trash-${uid}`, 'files', 'b.png'), 'utf8')).toBe('not sticky');
      expect(await exists(join(mnt, '.Trash', String(uid)))).toBe(false);

      await rm(join(mnt, '.Trash'), { recursive: true });
      const elsewhere = join(mnt, 'elsewhere');
      await mkdir(elsewhere);
      await chmod(elsewhere, 0o1777);
      await symlink(elsewhere, join(mnt, '.Trash'));
      const second = await fileOnMount('c.png', 'linked');
      await moveToFreedesktopTrash(second, second, env);
      expect(await readFile(join(mnt, `.Trash-${uid}`, 'files', 'c.png'), 'utf8')).toBe('linked');
      expect(await readdir(elsewhere)).toEqual([]);
    });

    it('refuses a .Trash-$uid that is a symbolic link, and keeps the file where it was, saying why', async () => {
      const decoy = join(mnt, 'decoy');
      await mkdir(decoy);
      await symlink(decoy, join(mnt, `.Trash-${uid}`));
      const path = await fileOnMount('d.png', 'stays');
      const error = await moveToFreedesktopTrash(path, path, env).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'trash-unavailable' });
      expect((error as Error).message).toMatch(new RegExp(`no trash can take .*d\\.png on its disk \\(mounted at ${mnt}\\): .*\\.Trash-${uid} is a symbolic link`));
      expect(await readFile(path, 'utf8')).toBe('stays');
      expect(await readdir(decoy)).toEqual([]);
      expect(await exists(join(home, 'data', 'Trash'))).toBe(false);
    });

    it('never copies across devices: a home trash linked onto another disk fails and the file stays', async () => {
      // The file is on the home disk, but the user's Trash is a link onto the tmpfs: a rename cannot
      // reach it, and the file must not be copied and deleted instead.
      await mkdir(join(home, 'data'), { recursive: true });
      await mkdir(join(mnt, 'linked-trash'));
      await symlink(join(mnt, 'linked-trash'), join(home, 'data', 'Trash'));
      const path = join(home, 'e.png');
      await writeFile(path, 'not copied');
      const error = await moveToFreedesktopTrash(path, path, env).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'trash-unavailable' });
      expect((error as Error).message).toMatch(/on another file system than the trash .* never copied/);
      expect(await readFile(path, 'utf8')).toBe('not copied');
      expect(await readdir(join(mnt, 'linked-trash', 'files'))).toEqual([]);
      expect(await readdir(join(mnt, 'linked-trash', 'info'))).toEqual([]);
    });

    it('a removal whose trash fails keeps the file at its original path and says why (never deletes it instead)', async () => {
      await writeFile(join(mnt, `.Trash-${uid}`), 'a file where the trash would be');
      const path = await fileOnMount('shots/final.png', 'uploaded version');
      const digest = await digestFile(path, null);
      const { size, mtimeMs } = await stat(path);
      const file = await LocalFile.open(path, mnt, { size, mtimeMs });
      // The remote copy re-verifies (a plain MD5 ETag of the same bytes): only the trash can fail.
      const store = { head: async () => ({ size, etag: createHash('md5').update('uploaded version').digest('hex'), metadata: {} }) };
      const outcome = await removeLocalCopy({ file, mtimeMs, digest, store, key: 'shots/final.png', trash: (aside, restorePath) => moveToFreedesktopTrash(aside, restorePath, env) });
      await file.close();
      expect(outcome.removed).toBe(false);
      expect(outcome).toMatchObject({ reason: expect.stringMatching(new RegExp(`^it could not be moved to the trash \\(no trash can take .*final\\.png${REMOVING_SUFFIX.replace('.', '\\.')} on its disk .*\\.Trash-${uid} is not a directory\\), so the local file was kept$`)) });
      expect(await readFile(path, 'utf8')).toBe('uploaded version');
      expect(await exists(`${path}${REMOVING_SUFFIX}`)).toBe(false);
    });
  });
});
