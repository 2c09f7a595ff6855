/**
 * Builds the narrow `window.offload` API from the shared contract: one named async function per command,
 * never a raw ipcRenderer or a channel-string passthrough. The only preload file that touches ipcRenderer.
 */
import { ipcRenderer } from 'electron';
import { listChannels } from '../shared/ipc/channels';
import type { OffloadApi } from '../shared/ipc/contract';

export function buildApi(): OffloadApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const { group, name, channel } of listChannels()) {
    api[group] ??= {};
    api[group][name] = (input?: unknown) => ipcRenderer.invoke(channel, input ?? {});
  }
  // The loop above creates exactly the keys OffloadApi declares, from the same contract map.
  return api as unknown as OffloadApi;
}
