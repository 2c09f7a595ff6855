/**
 * "Run a command, then toast how it went", without React (use-command.ts wraps it for screens), so
 * every screen says it the same way: a red toast titled with what did not happen, with the error's
 * message and its fix under it; a green toast, or the result's own, when it worked.
 */
import type { ToastContent } from '../components/toast';
import { errorLines } from './api';

export interface CommandToasts<T> {
  /** Title of the red toast when the command fails, e.g. "Folder not added". */
  failure: string;
  /**
   * What to toast once it worked: a green title, a whole toast (a connection test's result carries its
   * own tone), or null for nothing. Omitted: nothing, for commands whose effect shows on screen.
   */
  done?: string | ((value: T) => string | ToastContent | null);
}

/** Runs `command` and toasts the outcome. Resolves to its value, or to undefined once the failure is shown; never rejects. */
export async function runCommand<T>(command: () => Promise<T>, toasts: CommandToasts<T>, show: (toast: ToastContent) => void): Promise<T | undefined> {
  let value: T;
  try {
    value = await command();
  } catch (error) {
    show({ tone: 'error', title: toasts.failure, lines: errorLines(error) });
    return undefined;
  }
  const toast = typeof toasts.done === 'function' ? toasts.done(value) : (toasts.done ?? null);
  if (toast !== null) show(typeof toast === 'string' ? { tone: 'success', title: toast } : toast);
  return value;
}
