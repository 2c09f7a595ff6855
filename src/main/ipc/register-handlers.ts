/**
 * The only place that touches ipcMain. Every handler comes from the shared contract and passes one gate:
 * the sender must be our own window's main frame on our own protocol, and the payload must parse with
 * the command's schema. Errors return as values ({ ok: false, error }), never as throws.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { listChannels } from '../../shared/ipc/channels';
import { parseCommandInput } from '../../shared/ipc/contract';
import { fail } from '../../shared/result';
import type { CommandHandler } from '../../core/command-handlers';
import { APP_HOST, APP_SCHEME } from '../protocol';

/** True when the message comes from our own page, not a foreign frame or navigated-away document. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
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

export function registerHandlers(handlers: Record<string, CommandHandler>): () => void {
  const channels: string[] = [];
  for (const { group, name, channel } of listChannels()) {
    const handler = handlers[`${group}.${name}`];
    if (!handler) throw new Error(`No handler for IPC command ${group}.${name}`);
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) return fail('untrusted-sender', `Refused ${group}.${name} from a foreign frame.`);
      const parsed = parseCommandInput(group, name, payload);
      return parsed.ok ? handler(parsed.value) : parsed;
    });
    channels.push(channel);
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}
