/**
 * Forwards the service's events to the window through typed sends on the one event channel. Only the
 * events the contract names cross; a closed or crashed window is skipped, never thrown at.
 */
import type { WebContents } from 'electron';
import { EVENT_CHANNEL, eventNames } from '../../shared/ipc/channels';
import type { ServiceEventName, ServiceEvents } from '../../shared/ipc/contract';
import type { TypedEmitter } from '../../core/events';
import type { EngineEvents } from '../../shared/events';

export function sendEvent<E extends ServiceEventName>(contents: WebContents | null, event: E, payload: ServiceEvents[E]): void {
  if (!contents || contents.isDestroyed()) return;
  contents.send(EVENT_CHANNEL, event, payload);
}

/** Subscribes to every forwarded event; returns one unsubscribe for all. */
export function forwardEvents(events: TypedEmitter<EngineEvents>, target: () => WebContents | null): () => void {
  const offs = eventNames.map((name) => events.on(name, (payload) => sendEvent(target(), name, payload as ServiceEvents[typeof name])));
  return () => offs.forEach((off) => off());
}
