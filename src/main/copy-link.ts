/** Copies an offloaded file's link to the clipboard: the tray's "Recent uploads" and upload notifications. */
import type { OffloadService } from '../core/service';

export type LinkSource = Pick<OffloadService['log'], 'link'>;

export interface TextClipboard {
  writeText(text: string): void;
}

/**
 * Resolves true when a link was copied. A file whose link cannot be made now (its provider removed, the
 * bucket unreachable) copies nothing: the click came from a menu or a notification with nowhere to
 * show an error, and the offload log shows the file's state and link.
 */
export async function copyFileLink(log: LinkSource, clipboard: TextClipboard, fileId: number): Promise<boolean> {
  const link = await log.link(fileId).catch(() => null);
  if (!link) return false;
  clipboard.writeText(link.url);
  return true;
}
