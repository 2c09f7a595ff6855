/**
 * Moves a file to the freedesktop.org trash (Linux desktops, the `offload` command). The desktop app
 * uses Electron's shell.trashItem instead, which covers macOS and Windows.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * `restorePath` is where "Restore" in the file manager puts it back: the engine trashes the copy it set
 * aside (`name.offload-removing`), whose original name is `restorePath`.
 */
export async function moveToFreedesktopTrash(path: string, restorePath = path): Promise<void> {
  const base = join(process.env.XDG_DATA_HOME || join(homedir(), '.local/share'), 'Trash');
  await mkdir(join(base, 'files'), { recursive: true });
  await mkdir(join(base, 'info'), { recursive: true });
  const name = `${basename(restorePath)}.${Date.now()}`;
  await writeFile(join(base, 'info', `${name}.trashinfo`), `[Trash Info]\nPath=${encodeURI(restorePath)}\nDeletionDate=${new Date().toISOString().slice(0, 19)}\n`);
  await rename(path, join(base, 'files', name));
}
