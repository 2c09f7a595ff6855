/**
 * When saving a retention policy from the window makes local removal more destructive, the user must say
 * yes in a dialog main owns (DesktopPlatform.confirm): a compromised window could otherwise turn removal
 * on itself. The settings file and the `offload` command are the user's own hands and need no dialog.
 */
import { describeRetention, KEEP_EVERYTHING, removesLocalCopies, type RetentionPolicy } from '../shared/retention';
import { secretBindingChanges, secretBoundFields } from '../shared/providers/secret-binding';
import type { ProviderSettings, Settings } from '../shared/settings';

/** What main's dialog shows: a question, the detail under it, and the label of the button that says yes. */
export interface ConfirmRequest {
  message: string;
  detail: string;
  confirmLabel: string;
}

/** Disk sizes a mark is compared on, from an SD card to a large array. */
const DISK_SIZES = [1e9, 1e10, 1e11, 1e12, 1e13, 1e14];

/** Bytes free under which the rule removes, compared on a disk of `total` bytes (for "keeps more free"). */
const markOn = (rule: RetentionPolicy['lowSpace'], total: number): number => (rule === null ? -1 : rule.unit === '%' ? (total * rule.below) / 100 : rule.below * 1e9);

/**
 * Whether `after` can remove a local copy that `before` would keep: removal right away turned on, an
 * age rule added or shortened, a low-space rule added or raised, or trash turned into deleting for good.
 */
export function removesMore(before: RetentionPolicy, after: RetentionPolicy): boolean {
  // Each rule on its own: right away keeps a file brought back on purpose, which an age or space rule takes.
  if (after.rightAway && !before.rightAway) return true;
  if (after.afterDays !== null && (before.afterDays === null || after.afterDays < before.afterDays)) return true;
  // A mark in GB and one in % compare differently on each disk: raised on any plausible disk size counts.
  if (after.lowSpace && DISK_SIZES.some((total) => markOn(after.lowSpace, total) > markOn(before.lowSpace, total))) return true;
  const removes = after.rightAway || after.afterDays !== null || after.lowSpace !== null;
  return removes && before.moveToTrash && !after.moveToTrash;
}

/**
 * The question to ask before `after` replaces `before` for `where` ("every watch folder", "files in
 * /home/ana/renders"), or null when the save removes no more than before.
 */
export function retentionConsentRequest(before: RetentionPolicy | undefined, after: RetentionPolicy, where: string): ConfirmRequest | null {
  if (!removesMore(before ?? KEEP_EVERYTHING, after)) return null;
  const how = after.moveToTrash ? 'moved to the trash' : 'deleted for good (not moved to the trash)';
  return {
    message: `Remove local copies of offloaded files ${describeRetention(after)}?`,
    detail: `For ${where}: once a file's copy in the bucket is verified, the copy on this computer is ${how} ${describeRetention(after)}. Pinned files are always kept.`,
    confirmLabel: 'Remove local copies',
  };
}

/** Whether any watch folder's policy (its own or the General one) removes local copies. */
export function anyRemoval(settings: Pick<Settings, 'retention' | 'watchFolders'>): boolean {
  return removesLocalCopies(settings.retention) || settings.watchFolders.some((f) => f.retention !== undefined && removesLocalCopies(f.retention));
}

/**
 * While local copies are removed once verified, where a copy is verified decides what "verified" means:
 * pointing the active storage elsewhere from the window (another provider, or the active one's type,
 * endpoint or bucket) is asked about as turning removal on is, and so is repointing a provider that holds
 * offloaded files, since a pass proves their copies there before it removes a local one. A yes was given
 * for the place it was given for. `changed` names the fields that moved; empty for a switch to another
 * provider. `active`: whether new files go to `provider` (false: it only holds files already offloaded).
 */
export function destinationConsentRequest(
  settings: Pick<Settings, 'retention' | 'watchFolders'>,
  provider: Pick<ProviderSettings, 'id' | 'label'>,
  changed: readonly string[],
  active = true,
): ConfirmRequest | null {
  if (!anyRemoval(settings)) return null;
  const name = provider.label || provider.id;
  const when = `${describeRetention(settings.retention)} (or as each watch folder's own policy says)`;
  const detail = active
    ? `New files will be uploaded to "${name}", and once a file's copy there is verified, the copy on this computer is removed ${when}.`
    : `Files offloaded to "${name}", or still to be sent there, have their copy there checked before the copy on this computer is removed ${when}: from now on that check is made where "${name}" points.`;
  if (changed.length) return { message: `Keep removing local copies now that the ${changed.join(', ')} of "${name}" changed?`, detail, confirmLabel: 'Keep removing' };
  return { message: `Send new files to "${name}" and keep removing local copies?`, detail, confirmLabel: 'Use it and keep removing' };
}

/**
 * The fields a save from the window moves elsewhere, where that decides a removal:
 * - for the active storage, its type, endpoint or bucket: new files are verified there;
 * - for a provider the log names (`holdsRecords`: files verified there, or queued or failed to be
 *   retried there), its type or endpoint. A pass checks each file at the bucket recorded with it, so a
 *   new bucket moves nothing already there.
 * A provider the settings lack but the log or the active storage names (removed while it had only
 * unfinished files, or a hand edit) is new in every one of them. A retired provider is left to the save,
 * which refuses it. Empty otherwise. `holdsRecords` is asked only when something moved.
 */
export function destinationChanges(settings: Pick<Settings, 'activeStorage' | 'providers'>, after: ProviderSettings, holdsRecords: () => boolean): string[] {
  const before = settings.providers.find((p) => p.id === after.id);
  if (before?.retired) return [];
  const active = settings.activeStorage === after.id;
  const moved = (before ? secretBindingChanges(before, after) : [...secretBoundFields]).filter((field) => active || field !== 'bucket');
  return moved.length && (active || holdsRecords()) ? moved : [];
}
