/**
 * The gate every IPC command passes, kept free of `ipcMain` so it is unit-tested under Node: the sender
 * must be our own window's main frame on our own protocol, and the payload must parse with the command's
 * schema. Errors return as values ({ ok: false, error }), never as throws.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { parseCommandInput } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/result';
import type { CommandHandler } from '../../core/command-handlers';
import { APP_HOST, APP_SCHEME } from '../app-origin';

export type SenderInfo = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/** True when the message comes from our own page, not a foreign frame or navigated-away document. */
export function isTrustedSender(event: SenderInfo): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    // Compare scheme and host: WHATWG URL gives custom schemes an opaque ("null") origin.
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Wraps one command's handler in the sender check and the schema parse. */
export function guardCommand(group: string, name: string, handler: CommandHandler): (event: SenderInfo, payload: unknown) => Promise<Result<unknown>> {
  return async (event, payload) => {
    if (!isTrustedSender(event)) return fail('untrusted-sender', `Refused ${group}.${name} from a foreign frame.`);
    const parsed = parseCommandInput(group, name, payload);
    return parsed.ok ? handler(parsed.value) : parsed;
  };
}
