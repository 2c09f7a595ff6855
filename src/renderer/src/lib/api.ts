/** The renderer's view of the preload API: results unwrapped into values or a thrown ApiError. */
import type { AppError, Result } from '../../../shared/result';

export class ApiError extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'ApiError';
  }
}

/** Unwraps a command's result: the value, or an ApiError carrying the code and message. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export const api = (): Window['offload'] => window.offload;

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
