/** The renderer's view of the preload API: results unwrapped into values or a thrown ApiError. */
import type { AppError, Result } from '../../../shared/result';

/** A command's designed error, thrown so screens can use try / await; keeps the code and the fix. */
export class ApiError extends Error {
  readonly code: string;
  readonly fix: string | undefined;

  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.fix = error.fix;
  }
}

/** Unwraps a command's result: the value, or an ApiError carrying the code, message and fix. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export const api = (): Window['offload'] => window.offload;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Anything a command threw, as an AppError: an ApiError is the service's own (code and fix kept); any
 * other throw is a bug or a broken bridge, which has no fix to offer.
 */
export function appErrorOf(error: unknown): AppError {
  if (error instanceof ApiError) return error.error;
  return { code: 'unexpected', message: messageOf(error) };
}

/** How a fix reads under its message, the same in toasts, banners and connection-test results. */
export const fixLine = (fix: string): string => `Fix: ${fix}`;

/** The lines under a red toast's title: what went wrong, then what to do about it when known. */
export function errorLines(error: unknown): string[] {
  const { message, fix } = appErrorOf(error);
  return fix ? [message, fixLine(fix)] : [message];
}
