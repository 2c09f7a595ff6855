/** Formatting for sizes, rates, times and names shown in the window. */
import { formatBytes } from '../../../shared/format';
import { LOCAL_STORAGE } from '../../../shared/settings';

export { formatBytes };
import type { ProviderView } from '../../../shared/ipc/contract';

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

export function storageLabel(id: string, providers: ProviderView[]): string {
  if (id === LOCAL_STORAGE) return 'Local (this machine)';
  const p = providers.find((x) => x.id === id);
  return p?.label || id;
}
