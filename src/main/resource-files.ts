/**
 * The files main reads from the app's resources folder at run time, listed once: main resolves them
 * here, electron-builder.yml ships them (extraResources), and test/unit/packaged-resources.test.ts proves
 * each one exists in the development layout and in the packaged layout electron-builder makes.
 */
import { join } from 'node:path';
import type { TrayIconState } from './tray/tray-model';

/** The window's icon. */
export const APP_ICON = 'icon.png';

const TRAY_ICONS: Record<TrayIconState, string> = { idle: 'tray-idle.png', uploading: 'tray-busy.png', paused: 'tray-paused.png', error: 'tray-error.png' };

/** The tray's image for a state. */
export function trayIconFile(state: TrayIconState): string {
  return TRAY_ICONS[state];
}

/** The `offload` launcher of the Linux packages (src/main/cli-mode.ts); shipped, never read by main. */
export const CLI_LAUNCHER = 'offload';

/** Every file main reads from the resources folder, on every platform. */
export const RUNTIME_RESOURCES: readonly string[] = [APP_ICON, ...Object.values(TRAY_ICONS)];

/** What the Linux packages carry in their resources folder besides (electron-builder.yml linux.extraResources). */
export const LINUX_ONLY_RESOURCES: readonly string[] = [CLI_LAUNCHER];

/**
 * The resources folder: process.resourcesPath in a package (where extraResources land, beside
 * app.asar), the repository's resources/ in development (main runs from out/main/).
 */
export function resourcesDir(isPackaged: boolean, resourcesPath: string, mainDir: string): string {
  return isPackaged ? resourcesPath : join(mainDir, '../../resources');
}
