/**
 * The window's side of the service: every command of the shared contract bound to the service (and
 * registered through the gate by `register`, which is register-handlers.ts in the app), and the service's
 * events forwarded to whichever window is open. Returns one undo for both.
 */
import type { WebContents } from 'electron';
import { createCommandHandlers, type CommandHandler, type DesktopPlatform } from '../../core/command-handlers';
import type { OffloadService } from '../../core/service';
import { forwardEvents } from './send-event';

export type RegisterHandlers = (handlers: Record<string, CommandHandler>) => () => void;

export function connectIpc(service: OffloadService, platform: DesktopPlatform, register: RegisterHandlers, target: () => WebContents | null): () => void {
  const unregister = register(createCommandHandlers(service, platform));
  const stopForwarding = forwardEvents(service.events, target);
  return () => {
    unregister();
    stopForwarding();
  };
}
