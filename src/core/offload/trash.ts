/**
 * Moves a file to the freedesktop.org trash (Linux desktops, the `offload` command). The desktop app
 * uses Electron's shell.trashItem instead, which covers macOS and Windows.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export async function moveToFreedesktopTrash(path: string): Promise<void> {
  const base = join(process.env.XDG_DATA_HOME || join(homedir(), '.local/share'), 'Trash');
  await mkdir(join(base, 'files'), { recursive: true });
  await mkdir(join(base, 'info'), { recursive: true });
  const name = `${basename(path)}.${Date.now()}`;
  await writeFile(join(base, 'info', `${name}.trashinfo`), `[Trash Info]\nPath=${encodeURI(path)}\nDeletionDate=${new Date().toISOString().slice(0, 19)}\n`);
  await rename(path, join(base, 'files', name));
}
