/**
 * When the window opens on the first-run setup instead of the dashboard.
 *
 * A profile is a new install when nothing in it was set up or changed: no provider, no watch folder,
 * Local as the storage, the upload settings as installed, an empty log and no settings problem. Any
 * existing profile — a provider, a folder, a tuned setting, a single file in the log — never sees the
 * setup on its own. Once started, the setup's own progress (progress.ts) decides: under way, the window
 * opens on it again; put off ("Set up later") or done, it does not. The window's one landing decision
 * (lib/landing.ts) asks this first.
 */
import type { SettingsView } from '../../../../shared/events';
import type { ProviderView, StatusView } from '../../../../shared/ipc/contract';
import { LOCAL_STORAGE, uploadSchema } from '../../../../shared/settings';
import type { SetupProgress } from './progress';

/** The upload settings a new install has. */
const installedUpload = uploadSchema.parse({});

/** Equal as JSON values (the settings are plain data). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function isNewInstall(settings: SettingsView, providers: readonly ProviderView[], status: StatusView): boolean {
  return (
    providers.length === 0 &&
    settings.watchFolders.length === 0 &&
    settings.activeStorage === LOCAL_STORAGE &&
    sameValue(settings.upload, installedUpload) &&
    status.counts.total === 0 &&
    status.problems.length === 0
  );
}

/** Whether the window opens on the setup. */
export const opensOnSetup = (progress: SetupProgress, newInstall: boolean): boolean =>
  progress.status === 'active' || (progress.status === 'none' && newInstall);

/** Whether the dashboard offers "Finish setup": started and not finished, or a new install that has not started it. */
export const setupUnfinished = (progress: SetupProgress, newInstall: boolean): boolean =>
  progress.status === 'active' || progress.status === 'later' || (progress.status === 'none' && newInstall);
