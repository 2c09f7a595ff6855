/** The retention policy that applies to a watch folder's files: its own, else the General one. */
import type { RetentionPolicy } from '../../shared/retention';
import type { Settings } from '../../shared/settings';

export function policyFor(settings: Readonly<Settings>, watchRoot: string): RetentionPolicy {
  return settings.watchFolders.find((f) => f.path === watchRoot)?.retention ?? settings.retention;
}
