/**
 * Setting an after-upload command from the window needs the user's yes in main's own dialog
 * (DesktopPlatform.confirm), as turning on local removal does (removal-consent.ts): a compromised window
 * could otherwise make the app run any program. Asked when a command is turned on or its argument list
 * changes; the settings file and the `offload` command are the user's own hands and need no dialog.
 */
import type { AfterUploadSettings } from '../../shared/after-upload';
import type { ConfirmRequest } from '../removal-consent';
import { showArgs } from './notes';

type CommandFields = Pick<AfterUploadSettings, 'runCommand' | 'command'>;

/** The question to ask before `after` replaces `before` for `where` ("after every upload", "for uploads from /x"), or null. */
export function commandConsentRequest(
  before: CommandFields | undefined,
  after: CommandFields | null | undefined,
  where: string,
): ConfirmRequest | null {
  if (!after?.runCommand) return null;
  if (before?.runCommand && JSON.stringify(before.command) === JSON.stringify(after.command)) return null;
  return {
    message: `Run this command ${where}?`,
    detail: `${showArgs(after.command)}\n\nIt runs as you, without a shell, once for each file whose upload is verified, with the file's path, link and key in place of the placeholders.`,
    confirmLabel: 'Run it after uploads',
  };
}
