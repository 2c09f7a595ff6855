/** Where the settings file and the ledger live by default: the desktop app's data folder. */
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const APP_DIR = 'Offload Companion';

/** Same folder Electron's app.getPath('userData') gives, so the app and the command share one file. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR);
}

export function defaultSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.OFFLOAD_CONFIG || join(defaultDataDir(process.platform, env), 'settings.json');
}

/** The ledger lives next to the settings file. */
export function ledgerFileFor(settingsFile: string): string {
  return join(dirname(settingsFile), 'ledger.sqlite');
}
