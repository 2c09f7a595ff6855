/** Small file-system questions asked where files are moved without ever being written over. */
import { lstat } from 'node:fs/promises';

/** True when something (a file, a folder, a link, even a dangling one) has this name. */
export async function entryExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** The codes a file system answers `link()` with when it has no hard links (FAT, some network shares). */
const NO_HARD_LINKS: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** True when `error` from `link()` means the file system has no hard links, so a rename must do. */
export function hardLinksUnsupported(error: unknown): boolean {
  return NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '');
}
