/** Formatting for sizes, rates, times and names shown in the window. */
import { LOCAL_STORAGE } from '../../../shared/settings';
import type { ProviderView } from '../../../shared/ipc/contract';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

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
