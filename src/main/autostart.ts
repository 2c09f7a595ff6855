/**
 * Start at login (opt-in, PRODUCT.md §6). macOS and Windows use Electron's login items; Linux has no such
 * API, so the freedesktop autostart entry is written instead.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AUTOSTART_FILE_NAME = 'offload-companion.desktop';

/**
 * One argument of an Exec key, per the Desktop Entry Specification ("The Exec key"): an argument with
 * anything beyond plain path characters is double-quoted, and inside the quotes `"`, `` ` ``, `$` and `\`
 * are escaped with a backslash; a literal `%` is written `%%` everywhere (a lone one starts a field code).
 */
function execArgument(arg: string): string {
  const quoted = /^[\w/.,+:@=-]+$/.test(arg) ? arg : `"${arg.replace(/["`$\\]/g, '\\$&')}"`;
  return quoted.replace(/%/g, '%%');
}

/**
 * The general escaping of a string value, applied after the Exec quoting (the spec's order, which is why a
 * literal backslash in a quoted argument ends up as four): `\\`, and `\n`, `\t`, `\r` so that a newline in the
 * path stays inside this value instead of starting a key of its own.
 */
function stringValue(text: string): string {
  return text.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c);
}

/** The XDG autostart entry that starts the app hidden in the tray. */
export function autostartDesktopEntry(executable: string): string {
  const exec = stringValue([execArgument(executable), '--hidden'].join(' '));
  return ['[Desktop Entry]', 'Type=Application', 'Name=Offload Companion', `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
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

/** What start at login needs of Electron's `app` on macOS and Windows. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args: string[] }): void;
}

export interface StartAtLoginTarget {
  platform: NodeJS.Platform;
  /** What the Linux entry starts: the AppImage when run from one (its mount path changes every run), else the binary. */
  executable: string;
  app: LoginItemApp;
  /** Tests pass a temp folder's writer; the app writes to the XDG autostart folder. */
  writeLinuxEntry?: (enabled: boolean, executable: string) => Promise<void>;
}

/**
 * Applies the "start at login" preference: the login item (started with --hidden, into the tray), or on
 * Linux the autostart entry. Never rejects: a folder it cannot write must not stop the app starting or a
 * preference being saved; the entry is written again on every start.
 */
export async function applyStartAtLogin(enabled: boolean, target: StartAtLoginTarget): Promise<void> {
  if (target.platform !== 'linux') {
    target.app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
    return;
  }
  const write = target.writeLinuxEntry ?? ((on: boolean, executable: string) => setLinuxAutostart(on, executable));
  await write(enabled, target.executable).catch(() => undefined);
}
