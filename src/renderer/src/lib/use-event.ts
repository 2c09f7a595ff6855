/** Subscribes to one service event for a component's lifetime. */
import { useEffect, useRef } from 'react';
import type { ServiceEventName, ServiceEvents } from '../../../shared/ipc/contract';

export function useServiceEvent<E extends ServiceEventName>(event: E, listener: (payload: ServiceEvents[E]) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => window.offload.events.on(event, (payload) => latest.current(payload)), [event]);
}
