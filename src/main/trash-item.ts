/**
 * The desktop app's trash: Electron's shell.trashItem (the OS trash on macOS, Windows and Linux desktops),
 * handed to the core as ServiceOptions.trash.
 *
 * The engine trashes the copy it set aside (`photo.png.offload-removing`) and says its original name
 * (`photo.png`). trashItem takes one path and keeps its name, and the original name is never written
 * over (a new file may have been saved there meanwhile). So the copy gets its own name in a private
 * folder beside it, on the same file system: `.offload-trash-XXXXXX/photo.png` — a dot folder, which the
 * watcher never enters (DEFAULT_EXCLUDES `.*`). It is a hard link where the file system has them, so
 * the aside name keeps the file until the trash has it (a crash in between leaves the aside copy, which
 * the next start puts back); elsewhere it is a rename. On any failure the copy is back at the aside name
 * and the error is rethrown (local-removal.ts then keeps the file); the folder is removed only empty.
 */
import { link, mkdtemp, rename, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { entryExists, hardLinksUnsupported } from '../core/fs-entries';

/** What this uses of Electron's shell. */
export interface TrashShell {
  trashItem(path: string): Promise<void>;
}

/** The prefix of the private folder a copy is named in before it goes to the trash. */
export const TRASH_STAGING_PREFIX = '.offload-trash-';

/** ServiceOptions.trash over Electron's shell.trashItem. */
export function trashWithShell(shell: TrashShell): (path: string, restorePath: string) => Promise<void> {
  return async (path, restorePath) => {
    const folder = await mkdtemp(join(dirname(path), TRASH_STAGING_PREFIX));
    const named = join(folder, basename(restorePath));
    try {
      const linked = await linkOrMove(path, named);
      try {
        await shell.trashItem(named);
        if (await entryExists(named)) throw new Error(`the trash did not take ${named}`);
      } catch (error) {
        await putBack(named, path, linked);
        throw error;
      }
      if (linked) await unlink(path);
    } finally {
      await rmdir(folder).catch(() => undefined); // only when empty: nothing in it is ever deleted
    }
  };
}

/** Gives `from` the name `to` as a hard link (true), or by a rename where links are not supported. */
async function linkOrMove(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if (!hardLinksUnsupported(error)) throw error;
    await rename(from, to);
    return false;
  }
}

/** Undoes linkOrMove after a failed trash: the copy is at `aside` again, under no other name. */
async function putBack(named: string, aside: string, linked: boolean): Promise<void> {
  try {
    if (!(await entryExists(named))) return; // the trash took it after all, or it was never named
    if (linked) await unlink(named);
    else if (await entryExists(aside)) throw new Error(`${aside} exists again`);
    else await rename(named, aside);
  } catch (error) {
    throw new Error(`the trash failed and the file could not be put back at ${aside} (${(error as Error).message}); it is at ${named}`, { cause: error });
  }
}
