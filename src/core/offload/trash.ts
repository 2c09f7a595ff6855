/**
 * Moves a file to the freedesktop.org trash (Trash specification 1.0), for the `offload` command and
 * headless Linux. The desktop app passes Electron's shell.trashItem instead (src/main/trash-item.ts).
 *
 * Which trash takes the file:
 *   - on the file system of $XDG_DATA_HOME: the home trash, `$XDG_DATA_HOME/Trash`;
 *   - on another mount: that mount's own trash at its top directory, `$topdir/.Trash/$uid` when the
 *     administrator made `$topdir/.Trash` (a sticky directory, not a symbolic link), else
 *     `$topdir/.Trash-$uid` (created private to the user). Its trashinfo Path is relative to $topdir.
 * The move is always a rename within one file system: a file is never copied and deleted across
 * devices. When no trash can take it, this throws a CoreError saying why, and the file stays where it
 * was (the caller keeps it; local-removal.ts puts it back under its name).
 */
import { lstat, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';
import { CoreError } from '../errors';
import { entryExists } from '../fs-entries';

/** Most numbered names tried in a trash whose plain name is taken. */
const MAX_TRASH_NAMES = 1000;

/** A trash directory (with `files/` and `info/` inside) and what its trashinfo paths are relative to. */
interface TrashDir {
  dir: string;
  /** The mount's top directory for a per-mount trash; null for the home trash (absolute paths). */
  topdir: string | null;
}

const NO_TRASH_FIX = 'Turn off "move to the trash" for this storage (the file is then deleted after upload), or ask the administrator for a trash on that disk.';

/**
 * `restorePath` is where "Restore" in the file manager puts it back: the engine trashes the copy it set
 * aside (`name.offload-removing`), whose original name is `restorePath`.
 */
export async function moveToFreedesktopTrash(path: string, restorePath = path, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const trash = await trashFor(path, env);
  await moveInto(trash, path, await canonical(restorePath));
}

/** The trash that can take `path` by a rename: the home trash on its own device, else the mount's. */
async function trashFor(path: string, env: NodeJS.ProcessEnv): Promise<TrashDir> {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local/share');
  const fileDev = (await lstat(path)).dev;
  if ((await nearestExisting(dataHome)).dev === fileDev) {
    // The user's own trash may be a symbolic link they made: followed (a rename across devices still fails).
    const dir = join(dataHome, 'Trash');
    for (const d of [dir, join(dir, 'files'), join(dir, 'info')]) await privateDir(d, { recursive: true, followLinks: true });
    return { dir, topdir: null };
  }
  const topdir = await mountTop(path, fileDev);
  const uid = process.getuid?.();
  if (uid === undefined) throw new CoreError('trash-unavailable', `${path} is on another disk than your home trash, and this system has no per-disk trash`, NO_TRASH_FIX);
  const refused: string[] = [];
  const shared = join(topdir, '.Trash');
  const sharedStat = await lstat(shared).catch(() => null);
  if (sharedStat) {
    // Spec: use it only if it is a real directory with the sticky bit; anything else is not trusted.
    if (sharedStat.isSymbolicLink()) refused.push(`${shared} is a symbolic link`);
    else if (!sharedStat.isDirectory()) refused.push(`${shared} is not a directory`);
    else if ((sharedStat.mode & 0o1000) === 0) refused.push(`${shared} does not have the sticky bit`);
    else {
      const dir = join(shared, String(uid));
      const problem = await usableTrash(dir, uid);
      if (problem === null) return { dir, topdir };
      refused.push(problem);
    }
  }
  const own = join(topdir, `.Trash-${uid}`);
  const problem = await usableTrash(own, uid);
  if (problem === null) return { dir: own, topdir };
  refused.push(problem);
  throw new CoreError('trash-unavailable', `no trash can take ${path} on its disk (mounted at ${topdir}): ${refused.join('; ')}`, NO_TRASH_FIX);
}

/** Null when `dir` is (or was just made) a trash of ours: a directory, not a link, owned by `uid`. */
async function usableTrash(dir: string, uid: number): Promise<string | null> {
  try {
    await privateDir(dir);
    const st = await lstat(dir);
    if (st.uid !== uid) return `${dir} belongs to another user`;
    await privateDir(join(dir, 'files'));
    await privateDir(join(dir, 'info'));
    return null;
  } catch (error) {
    return error instanceof CoreError ? error.message : `${dir} cannot be used (${(error as Error).message})`;
  }
}

/**
 * Makes `dir` private (0700) when missing; refuses one that is not a directory, or (unless `followLinks`,
 * for the home trash only) a symbolic link: on a shared disk a link could point a trash anywhere.
 */
async function privateDir(dir: string, options: { recursive?: boolean; followLinks?: boolean } = {}): Promise<void> {
  await mkdir(dir, { mode: 0o700, recursive: options.recursive ?? false }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const st = await (options.followLinks ? stat(dir) : lstat(dir));
  if (st.isSymbolicLink()) throw new CoreError('trash-unavailable', `${dir} is a symbolic link`, NO_TRASH_FIX);
  if (!st.isDirectory()) throw new CoreError('trash-unavailable', `${dir} is not a directory`, NO_TRASH_FIX);
}

/**
 * Claims a name in the trash by creating its trashinfo exclusively (the spec's lock), then renames the
 * file into `files/` under that name. On any failure the trashinfo is removed and the file is where it
 * was: a rename either happened or did not.
 */
async function moveInto(trash: TrashDir, path: string, restorePath: string): Promise<void> {
  const files = join(trash.dir, 'files');
  const info = join(trash.dir, 'info');
  const entry = `[Trash Info]\nPath=${trashInfoPath(restorePath, trash.topdir)}\nDeletionDate=${localTimestamp(new Date())}\n`;
  for (let n = 0; n < MAX_TRASH_NAMES; n++) {
    const name = numberedName(basename(restorePath), n);
    const infoFile = join(info, `${name}.trashinfo`);
    const handle = await open(infoFile, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return null;
      throw error;
    });
    if (!handle) continue;
    try {
      // A file left in files/ without its trashinfo still holds that name: never rename over it.
      if (await entryExists(join(files, name))) {
        await handle.close();
        await unlink(infoFile);
        continue;
      }
      await handle.writeFile(entry);
      await handle.close();
      await rename(path, join(files, name));
      return;
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(infoFile).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EXDEV') throw new CoreError('trash-unavailable', `${path} is on another file system than the trash ${trash.dir}, and a file is never copied to the trash`, NO_TRASH_FIX, { cause: error });
      throw error;
    }
  }
  throw new CoreError('trash-unavailable', `the trash ${trash.dir} has no free name for ${basename(restorePath)}`, 'Empty the trash, then retry the file.');
}

/** `photo.png`, then `photo.2.png`, `photo.3.png`… */
function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}.${n + 1}${ext}`;
}

/**
 * The trashinfo Path: URL-escaped (spec: RFC 2396), relative to $topdir for a per-mount trash, absolute
 * for the home trash (and for a path that is not under $topdir, which cannot happen for a rename).
 */
function trashInfoPath(restorePath: string, topdir: string | null): string {
  const rel = topdir === null ? null : relative(topdir, restorePath);
  const path = rel !== null && rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : restorePath;
  return path.split('/').map(encodeURIComponent).join('/');
}

/** YYYY-MM-DDThh:mm:ss in local time, as the spec asks. */
function localTimestamp(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The real path of `path`'s folder joined with its name (the file itself may not exist). */
async function canonical(path: string): Promise<string> {
  return join(await realpath(dirname(path)), basename(path));
}

/** The top directory of the mount holding `path`: the highest ancestor still on device `dev`. */
async function mountTop(path: string, dev: number): Promise<string> {
  let dir = await realpath(dirname(path));
  for (;;) {
    const parent = dirname(dir);
    if (parent === dir || (await lstat(parent)).dev !== dev) return dir;
    dir = parent;
  }
}

/** The stat of `path`, or of its nearest ancestor that exists ($XDG_DATA_HOME may not exist yet). */
async function nearestExisting(path: string): Promise<{ dev: number }> {
  for (let dir = path; ; dir = dirname(dir)) {
    const st = await stat(dir).catch(() => null);
    if (st) return st;
    if (dirname(dir) === dir) throw new CoreError('trash-unavailable', `no part of ${path} exists`, 'Set XDG_DATA_HOME to a folder that exists.');
  }
}
