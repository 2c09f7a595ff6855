/** The ledger's errors: it cannot be opened, read, made private, or written. */
import { CoreError } from '../errors';

/** The offload log cannot be opened or read; `code` says which. */
export class LedgerError extends CoreError {
  constructor(code: string, message: string, fix: string, options?: { cause?: unknown }) {
    super(code, message, fix, options);
  }
}

/**
 * A write to the ledger failed (a full disk, a read-only or vanished folder). The engine stops taking work
 * on it: nothing is offloaded or removed on a state it could not record (RELIABILITY.md "full disk").
 */
export class LedgerWriteError extends LedgerError {
  constructor(file: string, cause: unknown) {
    super(
      'ledger-unwritable',
      `${file}: the offload log cannot be written (${(cause as Error).message ?? String(cause)}). Offloading stopped: nothing more is uploaded or removed until it can be written.`,
      'Free space on that disk (or fix its permissions) and start again; every file is still where it was or verified in the bucket.',
      { cause },
    );
  }
}

export function privacyError(file: string, cause: unknown): LedgerError {
  return new LedgerError(
    'ledger-not-private',
    `${file}: the offload log cannot be made private to you (${(cause as Error).message}). Nothing was offloaded or removed.`,
    "Check that its folder exists and that you own the log's files.",
    { cause },
  );
}

