/**
 * What the engine does after one attempt at a file fails: a pure function of what went wrong and how
 * many attempts were spent, so every branch is unit-tested without I/O (test/unit/failure-policy.test.ts).
 * The engine classifies the thrown error (failure-kind.ts), asks `decideFailure`, and carries the
 * decision out (ledger state, retry timer, offline gate, notice).
 */
import type { ClassifiedError } from '../storage/s3-errors';

/** What went wrong with one attempt, as the policy sees it. */
export type Failure =
  /** The file changed (or the server saw other bytes than were hashed): not a failure, it settles again. */
  | { kind: 'changed' }
  /** The file was removed before it could be offloaded. */
  | { kind: 'vanished' }
  /** The file must not be read (not a regular file, or its path now leads out of the watch folder). */
  | { kind: 'refused'; code: string; message: string }
  /** The endpoint cannot be reached at all. */
  | { kind: 'unreachable'; code: string; message: string }
  | ClassifiedError;

export interface AttemptCount {
  /** Attempts recorded for the file, including the one that just failed. */
  attempts: number;
  /** Throttled retries (503 SlowDown, 429) the file already had. */
  throttled: number;
}

export interface RetryRules {
  maxAttempts: number;
  retryBaseMs: number;
}

/** Where the engine is: stopping after an abort (the attempt was cut, not failed), or stopped. */
export interface EngineState {
  stopped: boolean;
  aborted: boolean;
}

export type FailureDecision =
  /** The engine is stopping and cut this attempt: the row stays unfinished and resumes at the next start. */
  | { action: 'resume-later' }
  | { action: 'settle-again' }
  | { action: 'vanished' }
  | { action: 'refuse'; code: string; message: string }
  /** Hold the file, no attempt spent; one probe at a time until the bucket answers. */
  | { action: 'go-offline'; message: string }
  /** Try again after `delayMs`; a throttled retry gives its attempt back. */
  | { action: 'retry'; delayMs: number; throttled: boolean; code: string; message: string }
  /** Give up: the file is `failed`; `notify` when every file would fail the same way (the provider). */
  | { action: 'fail'; code: string; message: string; notify: boolean };

/** Throttled retries per file that do not spend attempts, before they start to. */
export const MAX_THROTTLED = 10;
/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 300_000;

const THROTTLE_CODES: ReadonlySet<string> = new Set(['SlowDown', 'ServiceUnavailable', 'TooManyRequests', 'HTTP429', 'HTTP503']);

/**
 * `jitter` is a number in [0, 1) (Math.random in the engine): delays are spread ±20 % so that files
 * failing together do not retry together.
 */
export function decideFailure(failure: Failure, count: AttemptCount, rules: RetryRules, engine: EngineState, jitter: number): FailureDecision {
  if (engine.stopped && engine.aborted) return { action: 'resume-later' };
  switch (failure.kind) {
    case 'changed':
      return { action: 'settle-again' };
    case 'vanished':
      return { action: 'vanished' };
    case 'refused':
      return { action: 'refuse', code: failure.code, message: failure.message };
    case 'unreachable':
      if (!engine.stopped) return { action: 'go-offline', message: failure.message };
      return { action: 'fail', code: failure.code, message: failure.message, notify: false };
  }
  const throttled = THROTTLE_CODES.has(failure.code) && count.throttled + 1 <= MAX_THROTTLED;
  const retryable = failure.kind === 'transient' && (throttled || count.attempts < rules.maxAttempts) && !engine.stopped;
  if (!retryable) return { action: 'fail', code: failure.code, message: failure.message, notify: failure.kind === 'provider' };
  // Doubles with each attempt, or with each throttled retry while those do not spend attempts.
  const exponent = Math.max(count.attempts, count.throttled + 1) - 1;
  const delayMs = Math.min(MAX_RETRY_DELAY_MS, rules.retryBaseMs * 2 ** exponent) * (0.8 + jitter * 0.4);
  return { action: 'retry', delayMs, throttled, code: failure.code, message: failure.message };
}
