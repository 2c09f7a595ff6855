/**
 * Keeps the companion's data readable by its user only: the ledger names every file offloaded, its
 * bucket, key and link, and other accounts on a shared machine must not read it. Folders are 0700,
 * files 0600, given at creation (an explicit mode: the umask can only narrow it, never widen it) and set
 * again with chmod on every start (chmod ignores the umask), because files made by an earlier version,
 * or by SQLite under the usual 022 umask, are 0644.
 *
 * Windows has no POSIX modes (Node maps them to the read-only flag); the per-user ACLs of the profile
 * folder do this job there, so nothing is changed.
 */
import { chmodSync, closeSync, openSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const hasPosixModes = process.platform !== 'win32';

/** chmod, where `tolerated` error codes leave the path as it is. */
function chmodUnless(path: string, mode: number, tolerated: readonly string[]): void {
  if (!hasPosixModes) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    if (!tolerated.includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

/**
 * Tightens an existing folder to 0700; a missing one is left alone (whoever creates it gives the mode).
 * A folder owned by another account (made by a run under sudo) is that account's to set (EPERM); the
 * ledger files in it are still checked. Only for a folder that is the companion's own: never one a user
 * merely pointed --config into, which may be their home folder or, under sudo, /etc.
 */
export function restrictDir(dir: string): void {
  chmodUnless(dir, PRIVATE_DIR_MODE, ['ENOENT', 'EPERM']);
}

/** Tightens each of `files` that exists to 0600 (leftover -wal / -shm files may or may not be there). */
export function restrictFiles(files: readonly string[]): void {
  for (const file of files) chmodUnless(file, PRIVATE_FILE_MODE, ['ENOENT']);
}

/**
 * Creates `file` empty with mode 0600 when it is missing, then makes sure it is 0600. Created with the
 * mode, not chmod-ed afterwards: a reader who opens a file in the moment it is 0644 keeps that access.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  restrictFiles([file]);
}
