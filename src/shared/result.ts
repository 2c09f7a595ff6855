/** A value that crosses a process boundary: errors are values, never throws (Electron only carries messages). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** A designed error: `code` is stable and maps to a fix in the UI; `message` names the field or file. */
export interface AppError {
  code: string;
  message: string;
  /** What the user can do about it, when we know. */
  fix?: string;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, fix?: string): Result<never> => ({
  ok: false,
  error: fix === undefined ? { code, message } : { code, message, fix },
});
