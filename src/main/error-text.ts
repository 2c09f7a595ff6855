/** What an error dialog says: the message and, for an error the core threw on purpose, what to do about it. */
import { CoreError } from '../core/errors';

export function errorDialogText(error: unknown): string {
  if (error instanceof CoreError) return error.fix ? `${error.message}\n\n${error.fix}` : error.message;
  return error instanceof Error ? error.message : String(error);
}
