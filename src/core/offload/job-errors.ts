/** Errors one file's offload job throws, read by failure-kind.ts. */
import { CoreError } from '../errors';

/** The uploaded object did not verify; retried like a transient failure. */
export class VerifyMismatch extends CoreError {
  constructor(message: string) {
    super('verify-mismatch', message, 'Nothing to do: it is uploaded again. If it keeps failing, the server does not store what it is sent: run the connection test.');
  }
}

/**
 * Which step of offloading a file failed, so the log can say "while verifying the upload". A wrapper
 * the engine unwraps at once (failure-kind.ts reads `failure`); it never leaves the engine.
 */
export class StepFailure extends CoreError {
  constructor(
    readonly step: string,
    readonly failure: unknown,
  ) {
    super('step-failed', `failed while ${step}`, 'See the cause recorded with the file.', { cause: failure });
  }
}
