/**
 * Turns what one attempt threw into a `Failure` for the failure policy: local-file signals (changed,
 * gone, refused), an unreachable endpoint, the job's own errors, and the bucket's answers (s3-errors.ts).
 */
import { FileChanged, NotRegularFile, OutsideWatchFolder } from '../storage/local-file';
import { classifyS3Error, isUnreachable } from '../storage/s3-errors';
import type { Failure } from './failure-policy';
import { ProviderUnusable } from '../providers/provider-session';
import { VerifyMismatch } from './job-errors';
import { KeyError } from './object-key';

/** `path` is the file's path: an ENOENT about it (not about, say, a CA bundle) means the file is gone. */
export function classifyFailure(error: unknown, path: string): Failure {
  const errno = error as NodeJS.ErrnoException;
  if (error instanceof FileChanged) return { kind: 'changed' };
  if (errno.code === 'ENOENT' && errno.path?.startsWith(path)) return { kind: 'vanished' };
  if (error instanceof NotRegularFile) return { kind: 'refused', code: 'not-regular-file', message: error.message };
  if (error instanceof OutsideWatchFolder) return { kind: 'refused', code: 'outside-watch-folder', message: error.message };
  if (error instanceof KeyError) return { kind: 'permanent', code: 'bad-key', message: error.message };
  if (error instanceof ProviderUnusable) return { kind: 'provider', code: error.code, message: `${error.message} (${error.fix})` };
  if (error instanceof VerifyMismatch) return { kind: 'transient', code: error.code, message: error.message };
  if (errno.code === 'EACCES' || errno.code === 'EPERM') return { kind: 'permanent', code: errno.code, message: `cannot read ${path}: permission denied` };
  const classified = classifyS3Error(error);
  if (classified.kind === 'changed') return { kind: 'changed' };
  if (isUnreachable(error)) return { kind: 'unreachable', code: classified.code, message: classified.message };
  return classified;
}
