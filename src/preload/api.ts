/**
 * Builds the narrow `window.offload` API from the shared contract: one named async function per command
 * and `events.on` for the service's events, never a raw ipcRenderer or a channel-string passthrough. The
 * only preload file that touches ipcRenderer.
 */
import { ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, eventNames, listChannels } from '../shared/ipc/channels';
import type { OffloadApi } from '../shared/ipc/contract';

type Listener = (payload: unknown) => void;

export function buildApi(): OffloadApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const { group, name, channel } of listChannels()) {
    api[group] ??= {};
    api[group][name] = (input?: unknown) => ipcRenderer.invoke(channel, input ?? {});
  }
  const listeners = new Map<string, Set<Listener>>(eventNames.map((n) => [n, new Set<Listener>()]));
  ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
  api.events = {
    on(name: string, listener: Listener): () => void {
      const set = listeners.get(name);
      if (!set) throw new Error(`Unknown event ${name}`);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  // The loops above create exactly the keys OffloadApi declares, from the same contract map.
  return api as unknown as OffloadApi;
}
