/**
 * Start at login (opt-in, PRODUCT.md §6). macOS and Windows use Electron's login items; Linux has no such
 * API, so the freedesktop autostart entry is written instead.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AUTOSTART_FILE_NAME = 'offload-companion.desktop';

/** The XDG autostart entry that starts the app hidden in the tray. */
export function autostartDesktopEntry(executable: string): string {
  const quoted = /[\s"\\]/.test(executable) ? `"${executable.replace(/(["\\$`])/g, '\\$1')}"` : executable;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Offload Companion', `Exec=${quoted} --hidden`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}

export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
}

export async function setLinuxAutostart(enabled: boolean, executable: string, dir = autostartDir()): Promise<void> {
  const file = join(dir, AUTOSTART_FILE_NAME);
  if (!enabled) return rm(file, { force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(file, autostartDesktopEntry(executable));
}
