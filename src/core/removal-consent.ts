/**
 * When saving a provider from the window makes local removal more destructive, the user must say yes in
 * a dialog main owns (DesktopPlatform.confirm): a compromised window could otherwise tick "Delete the
 * local copy after upload" itself. The settings file and the `offload` command are the user's own hands
 * and need no dialog.
 */
import { secretBindingChanges } from '../shared/providers/secret-binding';
import type { ProviderSettings } from '../shared/settings';

/** What main's dialog shows: a question, the detail under it, and the label of the button that says yes. */
export interface ConfirmRequest {
  message: string;
  detail: string;
  confirmLabel: string;
}

type RemovalFields = Pick<ProviderSettings, 'id' | 'label' | 'type' | 'endpoint' | 'bucket' | 'deleteLocalAfterUpload' | 'moveToTrash'>;

/**
 * The question to ask before `after` replaces `before` (undefined for a new provider), or null when the
 * save removes no more than before. Asked when removal turns on, when it switches from the trash to
 * deleting, and when removal stays on but the files go elsewhere (type, endpoint or bucket): a yes was
 * given for the place it was given for. An Amazon S3 provider needs no stored secret, so dropping the
 * secret alone would not stop removal after uploads to a server that answers with the right ETag.
 */
export function removalConsentRequest(before: RemovalFields | undefined, after: RemovalFields): ConfirmRequest | null {
  if (!after.deleteLocalAfterUpload) return null;
  const name = after.label || after.id;
  const how = after.moveToTrash ? 'moved to the trash' : 'deleted for good (not moved to the trash)';
  const detail = `Once a file is uploaded to "${name}" and verified, the copy on this computer is ${how}.`;
  if (!before?.deleteLocalAfterUpload) return { message: `Remove local copies after upload with "${name}"?`, detail, confirmLabel: 'Remove local copies' };
  const moved = secretBindingChanges(before, after);
  if (moved.length) return { message: `Keep removing local copies now that the ${moved.join(', ')} of "${name}" changed?`, detail, confirmLabel: 'Keep removing' };
  if (before.moveToTrash && !after.moveToTrash) return { message: `Delete local copies for good with "${name}"?`, detail, confirmLabel: 'Delete for good' };
  return null;
}
