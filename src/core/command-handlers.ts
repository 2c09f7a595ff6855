/**
 * Binds each IPC command of the shared contract to the OffloadService. Main registers these through its
 * validating wrapper; the e2e tests expose the very same table to Chromium, so only the transport differs.
 */
import { ok, type Result } from '../shared/result';
import type { OffloadService } from './service';

/** A command handler: the payload has already been parsed with the command's schema. */
export type CommandHandler = (input: unknown) => Promise<Result<unknown>>;

export function createCommandHandlers(service: OffloadService): Record<string, CommandHandler> {
  return {
    'app.info': async () => ok(service.appInfo()),
  };
}
