/**
 * The only main-process file that touches ipcMain: registers every command of the shared contract through
 * the gate in guard.ts. A command without a handler is a start-up error, not a silent hole.
 */
import { ipcMain } from 'electron';
import { listChannels } from '../../shared/ipc/channels';
import type { CommandHandler } from '../../core/command-handlers';
import { guardCommand } from './guard';

export function registerHandlers(handlers: Record<string, CommandHandler>): () => void {
  const registered: string[] = [];
  for (const { group, name, channel } of listChannels()) {
    const handler = handlers[`${group}.${name}`];
    if (!handler) throw new Error(`No handler for IPC command ${group}.${name}`);
    ipcMain.handle(channel, guardCommand(group, name, handler));
    registered.push(channel);
  }
  return () => registered.forEach((c) => ipcMain.removeHandler(c));
}
