/**
 * The one error model of the core (STYLE.md §6): every error the core throws on purpose is a CoreError
 * with a stable `code` (what the window and scripts branch on) and a `fix` (what the user can do). Both
 * survive the IPC boundary (command-handlers.ts) and the `offload` command's output.
 */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** What the user can do about it, in one sentence. */
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
