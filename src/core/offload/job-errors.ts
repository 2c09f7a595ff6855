/** Errors one file's offload job throws, read by failure-kind.ts. */

/** The uploaded object did not verify; retried like a transient failure. */
export class VerifyMismatch extends Error {
  readonly code = 'verify-mismatch';
}

/** Which step of offloading a file failed, so the log can say "while verifying the upload". */
export class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly failure: unknown,
  ) {
    super(step);
  }
}
